from django.core.exceptions import ValidationError
from django.db import transaction

from pazar.pricing.models import CURRENCIES, PriceList


@transaction.atomic
def price_list_upsert(*, code: str, name: str, currency: str) -> PriceList:
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise ValidationError({"currency": [f'"{currency}" is not a valid choice.']})
    price_list, _ = PriceList.objects.update_or_create(
        code=code, defaults={"name": name, "currency": currency}
    )
    return price_list
