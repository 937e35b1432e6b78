"""Is a file a real image of an accepted format and size? Pillow decides, not the file name."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from pazar.core.selectors import dynamic_setting_value
from pazar.images.error_codes import ErrorCode

# Pillow's format name → the extension files of that format are stored with.
DOWNLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg"}
CHUNK_BYTES = 64 * 1024


class ImageRejected(Exception):
    def __init__(self, detail: str, *, code: ErrorCode):
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass(frozen=True)
class InspectedImage:
    format: str
    extension: str
    width: int
    height: int


def max_dimensions() -> tuple[int, int]:
    """(width, height) from the `MAX_IMAGE_DIMENSIONS` dynamic setting."""
    value = dynamic_setting_value("MAX_IMAGE_DIMENSIONS")
    return value["WIDTH"], value["HEIGHT"]


def sha256_of(file) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK_BYTES):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def inspect_image(file, *, formats: dict[str, str], max_size: tuple[int, int]) -> InspectedImage:
    """Check that `file` (seekable, binary) decodes as one of `formats` within `max_size`.

    The header gives the format and size before anything is decoded, so an oversized image is
    refused without allocating its pixels; then the whole image is decoded once, which catches
    truncated and corrupt files.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                kind, (width, height) = image.format, image.size
            if kind not in formats:
                accepted = ", ".join(sorted(formats))
                raise ImageRejected(
                    f"{kind} images are not accepted; send {accepted}.",
                    code=ErrorCode.UNSUPPORTED_FORMAT,
                )
            max_width, max_height = max_size
            if width > max_width or height > max_height:
                raise ImageRejected(
                    f"The image is {width}×{height} pixels; at most {max_width}×{max_height} "
                    "are accepted (MAX_IMAGE_DIMENSIONS).",
                    code=ErrorCode.DIMENSIONS_EXCEEDED,
                )
            file.seek(0)
            with Image.open(file) as image:
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except ImageRejected:
        raise
    except UnidentifiedImageError:
        raise ImageRejected("The file is not an image.", code=ErrorCode.NOT_AN_IMAGE) from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as exc:
        raise ImageRejected(
            f"The image could not be decoded ({exc.__class__.__name__}).",
            code=ErrorCode.NOT_AN_IMAGE,
        ) from None
    finally:
        file.seek(0)
    return InspectedImage(kind, formats[kind], width, height)
