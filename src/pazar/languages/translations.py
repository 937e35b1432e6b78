"""Editing `translations` (`{"tr-tr": {"name": "…"}}`) in the admin: one box per language.

The catalog keeps a row's translations in one JSON field, keyed by the marketplace's language
codes. An operator should not have to write JSON: each translated text gets a field per active
language other than the default (whose text is the row's own), and the JSON is rebuilt on save,
keeping whatever else it held.
"""

from __future__ import annotations

import copy

from django import forms

from pazar.languages.models import Language


def _languages() -> list[str]:
    return list(
        Language.objects.filter(is_active=True, is_default=False)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _key(code: str, name: str) -> str:
    return f"translation__{code}__{name}"


def translations_form(base: type[forms.ModelForm], model, names: tuple[str, ...]):
    """`base` with a text field per (language, translated field) that fills `translations`."""
    codes = _languages()
    declared = {}
    for code in codes:
        for name in names:
            label = model._meta.get_field(name).verbose_name
            declared[_key(code, name)] = forms.CharField(
                label=f"{label} ({code})", required=False, max_length=255
            )

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        stored = self.instance.translations or {}
        for code in codes:
            entry = stored.get(code)
            for name in names:
                value = entry.get(name, "") if isinstance(entry, dict) else ""
                self.fields[_key(code, name)].initial = value

    def clean(self):
        data = base.clean(self)
        translations = copy.deepcopy(self.instance.translations or {})
        for code in codes:
            entry = translations.get(code)
            entry = dict(entry) if isinstance(entry, dict) else {}
            for name in names:
                text = (data.get(_key(code, name)) or "").strip()
                if text:
                    entry[name] = text
                else:
                    entry.pop(name, None)
            if entry:
                translations[code] = entry
            else:
                translations.pop(code, None)
        # `translations` itself is not a field of the form, so nothing overwrites this.
        self.instance.translations = translations
        return data

    attrs = {**declared, "__init__": __init__, "clean": clean, "__module__": __name__}
    return type(f"{model.__name__}TranslationsForm", (base,), attrs)


class TranslationsAdminMixin:
    """For a ModelAdmin whose model has `translations`: `translated_fields = ("name",)`."""

    translated_fields: tuple[str, ...] = ("name",)
    exclude = ["translations"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = translations_form(self.form, self.model, self.translated_fields)
        return super().get_form(request, obj, change, **kwargs)


class TranslationsInlineMixin:
    """The same for an inline (e.g. attribute values and their translated labels)."""

    translated_fields: tuple[str, ...] = ("label",)
    exclude = ["translations"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = translations_form(self.form, self.model, self.translated_fields)
        return super().get_formset(request, obj, **kwargs)
