"""Whippy Ware's stock list rules in the admin, joined to the back office's rule builder: a rule
the builder can draw (`location_sum`) opens there from the list and from its own page, so
nobody has to edit its JSON by hand."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pazar.whippy.admin import StockListRuleAdmin
from pazar.whippy.models import RuleType, StockListRule


def builder_url(rule) -> str | None:
    if rule is None or rule.rule_type != RuleType.LOCATION_SUM:
        return None
    return reverse("backoffice:whippy-rule-edit", kwargs={"rule_id": rule.pk})


admin.site.unregister(StockListRule)


@admin.register(StockListRule)
class BuilderStockListRuleAdmin(StockListRuleAdmin):
    list_display = [*StockListRuleAdmin.list_display, "builder"]
    change_form_before_template = "backoffice/whippy/rule_admin_link.html"

    @admin.display(description=_("rule builder"))
    def builder(self, rule):
        url = builder_url(rule)
        return format_html('<a href="{}">{}</a>', url, _("Open in the builder")) if url else "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rule = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "builder_url": builder_url(rule)}
        return super().change_view(request, object_id, form_url, extra_context)
