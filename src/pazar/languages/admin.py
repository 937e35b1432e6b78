from django.contrib import admin

from pazar.core.admin import ModelAdmin
from pazar.languages.models import Language


@admin.register(Language)
class LanguageAdmin(ModelAdmin):
    list_display = ["code", "name", "is_default", "is_active"]
