"""Writes of stock lists: the operator's lists and which sellers may keep stock in them."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError

from pazar.accounts.models import Seller
from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update
from pazar.inventory.models import StockList

STOCK_LIST_FIELDS = ["name", "code", "is_auto_sync"]


@transaction.atomic
def stock_list_upsert(*, code: str, name: str) -> StockList:
    stock_list, _ = StockList.objects.update_or_create(code=code, defaults={"name": name})
    return stock_list


def _check_code(code: str | None, *, is_auto_sync: bool, exclude: StockList | None = None) -> None:
    if code is None:
        if is_auto_sync:
            raise field_error(
                "code", "A list kept in sync with the ERP (is_auto_sync) needs a code.", "required"
            )
        return
    if StockList.objects.filter(code=code).exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code", f'A stock list with the code "{code}" already exists.', "stock_list_exists"
        )


@transaction.atomic
def stock_list_create(
    *,
    name: str,
    code: str | None = None,
    is_auto_sync: bool = False,
    sellers: Iterable[Seller] = (),
) -> StockList:
    """A stock list; `code` (the ERP's id) is optional, unique, and needed with `is_auto_sync`."""
    _check_code(code, is_auto_sync=is_auto_sync)
    stock_list = StockList.objects.create(name=name, code=code, is_auto_sync=is_auto_sync)
    stock_list.sellers.set(sellers)
    return stock_list


@transaction.atomic
def stock_list_update(*, stock_list: StockList, data: dict) -> StockList:
    """Change a list; `sellers`, when given, replaces the sellers who may use it."""
    if "code" in data or "is_auto_sync" in data:
        _check_code(
            data.get("code", stock_list.code),
            is_auto_sync=data.get("is_auto_sync", stock_list.is_auto_sync),
            exclude=stock_list,
        )
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
    """The list's product stocks are deleted with it; a list a catalog sells from is kept (400)."""
    try:
        stock_list.delete()
    except ProtectedError:
        raise ApplicationError(
            "This stock list is used by a catalog; give the catalog another list first.",
            code="stock_list_in_use",
        ) from None
