"""Writes of price lists: the operator's lists and which sellers may price in them."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError

from pazar.accounts.models import Seller
from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update
from pazar.pricing.currencies import currency_code
from pazar.pricing.models import PriceList

PRICE_LIST_FIELDS = ["name", "code", "currency", "is_auto_sync"]


def _currency(value: str) -> str:
    code = currency_code(value)
    if code is None:
        raise field_error("currency", f'"{value}" is not a valid currency.', "invalid_currency")
    return code


@transaction.atomic
def price_list_upsert(*, code: str, name: str, currency: str) -> PriceList:
    price_list, _ = PriceList.objects.update_or_create(
        code=code, defaults={"name": name, "currency": _currency(currency)}
    )
    return price_list


def _check_code(code: str | None, *, is_auto_sync: bool, exclude: PriceList | None = None) -> None:
    if code is None:
        if is_auto_sync:
            raise field_error(
                "code", "A list kept in sync with the ERP (is_auto_sync) needs a code.", "required"
            )
        return
    if PriceList.objects.filter(code=code).exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code", f'A price list with the code "{code}" already exists.', "price_list_exists"
        )


@transaction.atomic
def price_list_create(
    *,
    name: str,
    currency: str,
    code: str | None = None,
    is_auto_sync: bool = False,
    sellers: Iterable[Seller] = (),
) -> PriceList:
    """A price list in one currency (any case, `tr`/`eu` accepted), open to `sellers`.

    `code` (the ERP's id of the list) is optional, unique when given, and needed with
    `is_auto_sync`.
    """
    _check_code(code, is_auto_sync=is_auto_sync)
    price_list = PriceList.objects.create(
        name=name, code=code, currency=_currency(currency), is_auto_sync=is_auto_sync
    )
    price_list.sellers.set(sellers)
    return price_list


@transaction.atomic
def price_list_update(*, price_list: PriceList, data: dict) -> PriceList:
    """Change a list; `sellers`, when given, replaces the sellers who may use it."""
    if "code" in data or "is_auto_sync" in data:
        _check_code(
            data.get("code", price_list.code),
            is_auto_sync=data.get("is_auto_sync", price_list.is_auto_sync),
            exclude=price_list,
        )
    if "currency" in data:
        data = {**data, "currency": _currency(data["currency"])}
        if data["currency"] != price_list.currency and price_list.prices.exists():
            raise field_error(
                "currency",
                "The currency of a price list that holds prices cannot change.",
                "price_list_in_use",
            )
    model_update(instance=price_list, fields=PRICE_LIST_FIELDS, data=data)
    if "sellers" in data:
        price_list_sellers_set(price_list=price_list, sellers=data["sellers"])
    return price_list


@transaction.atomic
def price_list_sellers_set(*, price_list: PriceList, sellers: Iterable[Seller]) -> PriceList:
    """Exactly these sellers may price their products in the list from now on."""
    price_list.sellers.set(sellers)
    return price_list


@transaction.atomic
def price_list_delete(*, price_list: PriceList) -> None:
    """The list's product prices are deleted with it (omnitron.md §7: DELETE → 204).

    A list a catalog sells from is kept: 400 `price_list_in_use`.
    """
    try:
        price_list.delete()
    except ProtectedError:
        raise ApplicationError(
            "This price list is used by a catalog; give the catalog another list first.",
            code="price_list_in_use",
        ) from None
