"""Whippy Ware pages for operators: a SKU's stock by location with each list's figure, and a
rule builder that writes `location_sum` rules without typing JSON."""

from __future__ import annotations

import json
from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pazar.backoffice import forms, stock
from pazar.whippy import rules
from pazar.whippy import services as whippy
from pazar.whippy.models import Provider, RuleType, StockListRule, StockLocation

SPARE_BLOCKS = 2  # empty blocks offered below the rule's own, to add without any script


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def stock_by_location(request):
    """One SKU at every location, and what each stock list's rule makes of it."""
    if not request.user.has_perm("whippy.view_stock"):
        raise PermissionDenied
    sku = request.GET.get("sku", "").strip()
    found = stock.sku_stock(sku=sku) if sku else None
    context = _context(
        request,
        _("Stock by location"),
        sku=sku,
        found=found,
        can_build=request.user.has_perm("whippy.change_stocklistrule"),
    )
    return TemplateResponse(request, "backoffice/whippy/stock.html", context)


def _choices():
    providers = [(p.code, f"{p.code} · {p.name}") for p in Provider.objects.order_by("code")]
    owners = defaultdict(list)
    for code, provider in StockLocation.objects.order_by("code", "provider__code").values_list(
        "code", "provider__code"
    ):
        owners[code].append(provider)
    locations = [(code, f"{code} ({', '.join(names)})") for code, names in owners.items()]
    return {"providers": providers, "locations": locations}


def _initial(rule: StockListRule | None) -> tuple[dict, list[dict]]:
    if rule is None:
        blocks = [{"use": True, "safety_stock": 0}]
        return {"is_active": True, "subtract_reservations": True}, blocks
    data = rule.rule
    initial = {
        "name": rule.name,
        "is_active": rule.is_active,
        "subtract_reservations": data.get("subtract_reservations", True),
        "global_safety_stock": data.get("global_safety_stock", 0),
        "min": data.get("min", 0),
    }
    blocks = [
        {
            "use": True,
            "providers": b.providers,
            "locations": b.locations,
            "safety_stock": b.safety_stock,
        }
        for b in stock.blocks_of(data)
    ]
    return initial, blocks


def _built(form, formset) -> dict:
    blocks = [
        stock.Block(
            providers=block.cleaned_data.get("providers") or [],
            locations=block.cleaned_data.get("locations") or [],
            safety_stock=block.cleaned_data.get("safety_stock") or 0,
        )
        for block in formset
        if block.cleaned_data.get("use")
    ]
    return stock.build_rule(
        blocks=blocks,
        global_safety_stock=form.cleaned_data["global_safety_stock"],
        subtract_reservations=form.cleaned_data["subtract_reservations"],
        min_figure=form.cleaned_data["min"],
    )


def _save(rule: StockListRule | None, form, built: dict) -> StockListRule:
    fields = {"name": form.cleaned_data["name"], "is_active": form.cleaned_data["is_active"]}
    if rule is None:
        return whippy.stock_list_rule_create(rule_type=RuleType.LOCATION_SUM, rule=built, **fields)
    return whippy.stock_list_rule_update(stock_list_rule=rule, data={**fields, "rule": built})


def rule_builder(request, rule_id: int | None = None):
    """Build a `location_sum` rule from blocks; preview it on a SKU; save it."""
    rule = None
    if rule_id is not None:
        rule = StockListRule.objects.filter(pk=rule_id, rule_type=RuleType.LOCATION_SUM).first()
        if rule is None:
            raise Http404
    needed = "whippy.change_stocklistrule" if rule else "whippy.add_stocklistrule"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    choices = _choices()
    initial, blocks = _initial(rule)
    blocks += [{"use": False, "safety_stock": 0}] * SPARE_BLOCKS
    if request.method == "POST":
        form = forms.RuleForm(request.POST)
        formset = forms.BlockFormSet(request.POST, form_kwargs=choices)
    else:
        form = forms.RuleForm(initial={**initial, "sku": request.GET.get("sku", "")})
        formset = forms.BlockFormSet(initial=blocks, form_kwargs=choices)
    preview = built = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        built = _built(form, formset)
        problems = rules.rule_errors(RuleType.LOCATION_SUM, built)
        if problems:
            form.add_error(None, problems)
        elif "save" in request.POST:
            try:
                saved = _save(rule, form, built)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("The rule “%(name)s” was saved.") % {"name": saved.name}
                )
                if not saved.stock_lists.exists():
                    messages.warning(
                        request,
                        _(
                            "No stock list uses this rule yet, so it computes no figures: "
                            "choose it as the rule of a Whippy stock list."
                        ),
                    )
                # Back to the rule just saved (not to another rule's lists), with the SKU tried.
                url = reverse("backoffice:whippy-rule-edit", kwargs={"rule_id": saved.pk})
                sku = form.cleaned_data["sku"]
                return redirect(f"{url}?{urlencode({'sku': sku})}" if sku else url)
        sku = form.cleaned_data["sku"]
        if sku and not form.errors:
            preview = stock.figure_of(built, stock.sku_stocks(sku))
    title = (
        _("Edit the rule “%(name)s”") % {"name": rule.name}
        if rule
        else _("Build a stock list rule")
    )
    context = _context(
        request,
        title,
        rule=rule,
        form=form,
        formset=formset,
        preview=preview,
        rule_json=json.dumps(built, indent=2) if built else "",
    )
    return TemplateResponse(request, "backoffice/whippy/rule_builder.html", context)
