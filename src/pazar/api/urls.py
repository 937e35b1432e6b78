"""Absolute URLs as clients see them: behind `PAZAR_PUBLIC_URL` when it is set."""

from django.conf import settings


def absolute_uri(request, location: str | None = None) -> str:
    """Like `request.build_absolute_uri`, but rooted at PAZAR_PUBLIC_URL when configured."""
    if settings.PAZAR_PUBLIC_URL:
        location = location if location is not None else request.get_full_path()
        if location.startswith(("http://", "https://")):
            return location
        return settings.PAZAR_PUBLIC_URL + "/" + location.lstrip("/")
    return request.build_absolute_uri(location)
