"""Accept-Language (`<ISO-639>-<ISO-3166>`, e.g. `en-us`) → one of the marketplace's languages."""

from __future__ import annotations

from pazar.languages.selectors import language_codes

LANGUAGE_ATTR = "_pazar_language"


def parse_accept_language(header: str) -> list[str]:
    """Language tags of the header, best first, lower-cased (`tr-TR,tr;q=0.9` → ['tr-tr', 'tr'])."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower().replace("_", "-")
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def request_language(request) -> str:
    """The language code for this request: the best acceptable active language, else the default."""
    django_request = getattr(request, "_request", request)
    cached = getattr(django_request, LANGUAGE_ATTR, None)
    if cached is not None:
        return cached
    codes, default = language_codes()
    chosen = default
    for tag in parse_accept_language(django_request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if tag in codes:
            chosen = tag
            break
        # A bare language (`tr`) picks the first active language of that language (`tr-tr`).
        prefix = [code for code in codes if code.split("-")[0] == tag]
        if "-" not in tag and prefix:
            chosen = prefix[0]
            break
    setattr(django_request, LANGUAGE_ATTR, chosen)
    return chosen


def translate(value: str, translations: dict | None, field: str, language: str):
    """`translations[language][field]` when present, else the stored `value`."""
    entry = (translations or {}).get(language)
    if isinstance(entry, dict) and entry.get(field) not in (None, ""):
        return entry[field]
    return value
