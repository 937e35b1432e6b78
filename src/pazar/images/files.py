"""Image files in Django's default storage, named by their content."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

DIRECTORY = "product_images"
VIDEO_DIRECTORY = "product_videos"


def image_name(*, product_id: int, sha256: str, extension: str) -> str:
    return f"{DIRECTORY}/{product_id}/{sha256}.{extension}"


def video_name(*, product_id: int, sha256: str) -> str:
    return f"{VIDEO_DIRECTORY}/{product_id}/{sha256}.mp4"


def save_once(name: str, content) -> bool:
    """Store `content` under `name` unless a file has that name already (the same content,
    since names are content hashes). Returns whether this call created the file."""
    if default_storage.exists(name):
        return False
    content.seek(0)
    saved = default_storage.save(name, File(content, name=name))
    if saved != name:  # stored meanwhile by someone else: keep theirs
        default_storage.delete(saved)
        return False
    return True


def delete_quietly(names) -> None:
    """Best-effort removal of files nothing refers to any more; a leftover file harms no one."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as exc:
            logger.warning("could not delete %s: %r", name, exc)


def public_url(name: str) -> str:
    """The file's URL for clients: the storage's, under PAZAR_PUBLIC_URL when it is relative."""
    url = default_storage.url(name)
    if settings.PAZAR_PUBLIC_URL and url.startswith("/"):
        return settings.PAZAR_PUBLIC_URL + url
    return url
