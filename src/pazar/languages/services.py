from django.db import transaction

from pazar.languages.models import Language, language_code_validator


@transaction.atomic
def language_upsert(*, code: str, name: str, is_default: bool = False) -> Language:
    """Create or update a language; making it the default unmarks the previous default."""
    code = code.strip().lower()
    language_code_validator(code)
    if is_default:
        Language.objects.filter(is_default=True).exclude(code=code).update(is_default=False)
    language, _ = Language.objects.update_or_create(
        code=code, defaults={"name": name, "is_default": is_default, "is_active": True}
    )
    return language
