"""Writes of stock lists: the operator's lists and which sellers may keep stock in them."""

from collections.abc import Iterable

from django.db import transaction

from pazar.accounts.models import Seller
from pazar.core.services import field_error, model_update
from pazar.inventory.models import StockList

STOCK_LIST_FIELDS = ["name", "code", "is_auto_sync"]


@transaction.atomic
def stock_list_upsert(*, code: str, name: str) -> StockList:
    stock_list, _ = StockList.objects.update_or_create(code=code, defaults={"name": name})
    return stock_list


def _check_code(code: str, *, exclude: StockList | None = None) -> None:
    if StockList.objects.filter(code=code).exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code", f'A stock list with the code "{code}" already exists.', "stock_list_exists"
        )


@transaction.atomic
def stock_list_create(
    *, name: str, code: str, is_auto_sync: bool = False, sellers: Iterable[Seller] = ()
) -> StockList:
    _check_code(code)
    stock_list = StockList.objects.create(name=name, code=code, is_auto_sync=is_auto_sync)
    stock_list.sellers.set(sellers)
    return stock_list


@transaction.atomic
def stock_list_update(*, stock_list: StockList, data: dict) -> StockList:
    """Change a list; `sellers`, when given, replaces the sellers who may use it."""
    if "code" in data:
        _check_code(data["code"], exclude=stock_list)
    model_update(instance=stock_list, fields=STOCK_LIST_FIELDS, data=data)
    if "sellers" in data:
        stock_list_sellers_set(stock_list=stock_list, sellers=data["sellers"])
    return stock_list


@transaction.atomic
def stock_list_sellers_set(*, stock_list: StockList, sellers: Iterable[Seller]) -> StockList:
    """Exactly these sellers may keep their products' stock in the list from now on."""
    stock_list.sellers.set(sellers)
    return stock_list


@transaction.atomic
def stock_list_delete(*, stock_list: StockList) -> None:
    """The list's product stocks are deleted with it."""
    stock_list.delete()
