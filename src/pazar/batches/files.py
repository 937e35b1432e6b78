"""Batch files in Django's default storage, with deterministic names so a retry overwrites."""

from __future__ import annotations

import contextlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner

KINDS = {"request": "", "success": "-s", "error": "-e"}
LINK_MAX_AGE = 3600
_signer = TimestampSigner(salt="pazar.batches.files")


def file_name(batch_id, kind: str) -> str:
    return f"batches/{batch_id}{KINDS[kind]}.json"


class JsonText:
    """Rows a handler has already written as the JSON text `write_json` writes for them (its
    hot path renders its entries straight to text, without an object per row): `count` rows,
    the file's `text`. `len()` is the number of rows, as for a list."""

    __slots__ = ("count", "text")

    def __init__(self, text: str, count: int) -> None:
        self.text, self.count = text, count

    def __len__(self) -> int:
        return self.count


def write_json(batch_id, kind: str, data) -> str:
    """`data` (a list of entries, or a `JsonText`) as compact JSON, non-ASCII kept."""
    if type(data) is JsonText:
        return write_bytes(batch_id, kind, data.text.encode())
    content = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return write_bytes(batch_id, kind, content)


def write_bytes(batch_id, kind: str, content: bytes) -> str:
    name = file_name(batch_id, kind)
    # A storage that overwrites on save (S3's `file_overwrite`) is not asked first: two round
    # trips fewer. Any other would give a second name to a file left by an earlier attempt.
    if not getattr(default_storage, "file_overwrite", False) and default_storage.exists(name):
        default_storage.delete(name)
    try:
        return default_storage.save(name, ContentFile(content))
    except OSError:
        # A full volume fails the write part way: remove what was written, so no truncated
        # file is left under a batch's name (the caller's transaction is rolled back).
        with contextlib.suppress(OSError):
            default_storage.delete(name)
        raise


def import_table_name(import_id) -> str:
    return f"batches/imports/{import_id}.json"


def write_import_table(import_id, table: dict) -> str:
    """The cells of an uploaded file as read (columns, rows, row numbers)."""
    name = import_table_name(import_id)
    content = json.dumps(table, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def read_json(name: str):
    with default_storage.open(name, "rb") as handle:
        return json.loads(handle.read())


def open_file(name: str):
    return default_storage.open(name, "rb")


def sign(batch_id, kind: str) -> str:
    """A token for a download link: the signer's timestamp and signature of (batch, kind)."""
    value = f"{batch_id}:{kind}"
    return _signer.sign(value)[len(value) + 1 :]


def signature_valid(token: str, batch_id, kind: str) -> bool:
    value = f"{batch_id}:{kind}"
    try:
        return _signer.unsign(f"{value}:{token}", max_age=LINK_MAX_AGE) == value
    except (BadSignature, SignatureExpired):
        return False
