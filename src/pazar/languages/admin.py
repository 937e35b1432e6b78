from django.contrib import admin

from pazar.languages.models import Language


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_default", "is_active"]
