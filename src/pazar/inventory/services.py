from django.db import transaction

from pazar.inventory.models import StockList


@transaction.atomic
def stock_list_upsert(*, code: str, name: str) -> StockList:
    stock_list, _ = StockList.objects.update_or_create(code=code, defaults={"name": name})
    return stock_list
