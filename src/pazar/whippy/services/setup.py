"""Writes of providers, locations, rules and stock lists.

A change that can alter computed figures marks the affected lists' SKUs for the worker
(`aggregation.pending_mark_*`) in the same transaction: provider and location changes touch
every list (rules name them by code), a rule change the lists using it, a list change itself.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update
from pazar.inventory.models import StockList as OmnitronStockList
from pazar.whippy import rules
from pazar.whippy.error_codes import ErrorCode
from pazar.whippy.models import Provider, RuleType, StockList, StockListRule, StockLocation
from pazar.whippy.services.aggregation import pending_mark_stock_lists

PROVIDER_FIELDS = ["name", "code", "should_add_reservations", "is_active"]
LOCATION_FIELDS = ["name", "code", "provider", "is_active"]
RULE_FIELDS = ["name", "rule_type", "rule", "is_active"]
STOCK_LIST_FIELDS = ["name", "code", "remote", "stock_list_rule", "is_active"]


# --- providers --------------------------------------------------------------------------------


def _check_provider_code(code: str, *, exclude: Provider | None = None) -> None:
    if Provider.objects.filter(code=code).exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code", f'A provider with the code "{code}" already exists.', ErrorCode.PROVIDER_EXISTS
        )


@transaction.atomic
def provider_create(
    *, name: str, code: str, should_add_reservations: bool = False, is_active: bool = True
) -> Provider:
    _check_provider_code(code)
    return Provider.objects.create(
        name=name, code=code, should_add_reservations=should_add_reservations, is_active=is_active
    )


@transaction.atomic
def provider_update(*, provider: Provider, data: dict) -> Provider:
    if "code" in data:
        _check_provider_code(data["code"], exclude=provider)
    if model_update(instance=provider, fields=PROVIDER_FIELDS, data=data):
        pending_mark_stock_lists()
    return provider


@transaction.atomic
def provider_delete(*, provider: Provider) -> None:
    """Its locations and their stocks go with it."""
    provider.delete()
    pending_mark_stock_lists()


# --- locations --------------------------------------------------------------------------------


def _check_location_code(provider: Provider, code: str, *, exclude=None) -> None:
    clash = StockLocation.objects.filter(provider=provider, code=code)
    if clash.exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code",
            f'The provider "{provider.code}" already has a location with the code "{code}".',
            ErrorCode.LOCATION_EXISTS,
        )


@transaction.atomic
def stock_location_create(
    *, name: str, code: str, provider: Provider, is_active: bool = True
) -> StockLocation:
    """A new location has no stock yet, so no figure changes."""
    _check_location_code(provider, code)
    return StockLocation.objects.create(
        name=name, code=code, provider=provider, is_active=is_active
    )


@transaction.atomic
def stock_location_update(*, location: StockLocation, data: dict) -> StockLocation:
    if "code" in data or "provider" in data:
        _check_location_code(
            data.get("provider", location.provider),
            data.get("code", location.code),
            exclude=location,
        )
    if model_update(instance=location, fields=LOCATION_FIELDS, data=data):
        pending_mark_stock_lists()
    return location


@transaction.atomic
def stock_location_delete(*, location: StockLocation) -> None:
    """Its stocks go with it."""
    location.delete()
    pending_mark_stock_lists()


# --- rules ------------------------------------------------------------------------------------


def rule_check(rule_type: str, rule) -> None:
    """Raise a 400 naming every problem: shape first, then codes that name nothing."""
    errors = rules.rule_errors(rule_type, rule)
    if not errors and rule_type == RuleType.LOCATION_SUM:
        errors = _unknown_codes(rules.parse_location_sum(rule))
    if errors:
        raise ValidationError(
            {"rule": [ValidationError(message, code=ErrorCode.INVALID_RULE) for message in errors]}
        )


def _unknown_codes(rule: rules.LocationSum) -> list[str]:
    providers = dict(Provider.objects.values_list("code", "pk"))
    locations: dict[str, set[int]] = {}
    for code, provider_id in StockLocation.objects.values_list("code", "provider_id"):
        locations.setdefault(code, set()).add(provider_id)
    errors = []
    for index, block in enumerate(rule.blocks):
        place = f"blocks.{index}"
        if block.providers is not None:
            unknown = sorted(block.providers - set(providers))
            if unknown:
                errors.append(f"{place}.providers: unknown provider {_quoted(unknown)}.")
                continue
        if block.locations is None:
            continue
        owners = (
            set(providers.values())
            if block.providers is None
            else {providers[code] for code in block.providers}
        )
        missing = sorted(
            code for code in block.locations if not locations.get(code, set()) & owners
        )
        if missing:
            errors.append(
                f"{place}.locations: no location {_quoted(missing)} belongs to the block's "
                "providers."
            )
    return errors


def _quoted(codes: list[str]) -> str:
    return ", ".join(f'"{code}"' for code in codes)


@transaction.atomic
def stock_list_rule_create(
    *, name: str, rule_type: str, rule: dict, is_active: bool = True
) -> StockListRule:
    rule_check(rule_type, rule)
    return StockListRule.objects.create(
        name=name, rule_type=rule_type, rule=rule, is_active=is_active
    )


@transaction.atomic
def stock_list_rule_update(*, stock_list_rule: StockListRule, data: dict) -> StockListRule:
    if "rule_type" in data or "rule" in data:
        rule_check(
            data.get("rule_type", stock_list_rule.rule_type),
            data.get("rule", stock_list_rule.rule),
        )
    if model_update(instance=stock_list_rule, fields=RULE_FIELDS, data=data):
        pending_mark_stock_lists(
            stock_list_ids=stock_list_rule.stock_lists.values_list("pk", flat=True)
        )
    return stock_list_rule


@transaction.atomic
def stock_list_rule_delete(*, stock_list_rule: StockListRule) -> None:
    codes = list(stock_list_rule.stock_lists.order_by("code").values_list("code", flat=True))
    if codes:
        raise ApplicationError(
            f"The rule is used by the stock lists {_quoted(codes)}.", code=ErrorCode.RULE_IN_USE
        )
    stock_list_rule.delete()


# --- stock lists ------------------------------------------------------------------------------


def _check_stock_list(data: dict, *, exclude: StockList | None = None) -> None:
    others = StockList.objects.exclude(pk=getattr(exclude, "pk", None))
    if "code" in data and others.filter(code=data["code"]).exists():
        raise field_error(
            "code",
            f'A stock list with the code "{data["code"]}" already exists.',
            ErrorCode.STOCK_LIST_EXISTS,
        )
    remote = data.get("remote")
    if remote is not None:
        bound = others.filter(remote=remote).values_list("code", flat=True).first()
        if bound is not None:
            raise field_error(
                "remote_id",
                f'The Omnitron stock list {remote.pk} is already filled by the stock list "{bound}".',
                ErrorCode.REMOTE_BOUND,
            )


@transaction.atomic
def stock_list_create(
    *,
    name: str,
    code: str,
    remote: OmnitronStockList | None,
    stock_list_rule: StockListRule,
    is_active: bool = True,
) -> StockList:
    """Bind an Omnitron stock list to a rule; its figures are computed in the background."""
    _check_stock_list({"code": code, "remote": remote})
    stock_list = StockList.objects.create(
        name=name,
        code=code,
        remote=remote,
        stock_list_rule=stock_list_rule,
        is_active=is_active,
    )
    pending_mark_stock_lists(stock_list_ids=[stock_list.pk])
    return stock_list


@transaction.atomic
def stock_list_update(*, stock_list: StockList, data: dict) -> StockList:
    """A new rule, Omnitron list or activation recomputes the whole list.

    The Omnitron list it wrote to before keeps the figures last written there.
    """
    _check_stock_list(data, exclude=stock_list)
    before = (stock_list.remote_id, stock_list.stock_list_rule_id, stock_list.is_active)
    model_update(instance=stock_list, fields=STOCK_LIST_FIELDS, data=data)
    if (stock_list.remote_id, stock_list.stock_list_rule_id, stock_list.is_active) != before:
        pending_mark_stock_lists(stock_list_ids=[stock_list.pk])
    return stock_list


@transaction.atomic
def stock_list_delete(*, stock_list: StockList) -> None:
    """Its computed figures go with it; Omnitron's product stocks keep their last values."""
    stock_list.delete()
