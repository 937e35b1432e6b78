from django.conf import settings
from django.db.models import QuerySet

from pazar.languages.models import Language


def language_list() -> QuerySet[Language]:
    return Language.objects.filter(is_active=True)


def language_codes() -> tuple[list[str], str]:
    """Active language codes and the default one (settings.LANGUAGE_CODE when none is marked)."""
    rows = list(language_list().values_list("code", "is_default"))
    codes = [code for code, _ in rows]
    default = next((code for code, is_default in rows if is_default), settings.LANGUAGE_CODE)
    return codes, default
