"""factory_boy factories of Whippy Ware rows."""

import factory

from pazar.whippy.models import (
    Provider,
    RuleType,
    Stock,
    StockList,
    StockListRule,
    StockLocation,
)
from tests.factories import StockListFactory as OmnitronStockListFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")
    code = factory.Sequence(lambda n: f"provider_{n}")


class StockLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLocation

    provider = factory.SubFactory(ProviderFactory)
    code = factory.Sequence(lambda n: str(100 + n))
    name = factory.LazyAttribute(lambda location: location.code)


class StockListRuleFactory(factory.django.DjangoModelFactory):
    """Every active location of every provider, nothing held back."""

    class Meta:
        model = StockListRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    rule_type = RuleType.LOCATION_SUM
    rule = factory.LazyFunction(lambda: {"blocks": [{"providers": "*", "locations": "*"}]})


class WhippyStockListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockList

    name = factory.Sequence(lambda n: f"Whippy list {n}")
    code = factory.Sequence(lambda n: f"whippy_list_{n}")
    remote = factory.SubFactory(OmnitronStockListFactory)
    stock_list_rule = factory.SubFactory(StockListRuleFactory)


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    sku = factory.Sequence(lambda n: f"SKU-{n}")
    location = factory.SubFactory(StockLocationFactory)
    stock = 5
