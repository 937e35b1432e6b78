import django_filters

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import CharInFilter, RelatedPk, sort_filter
from pazar.pricing.currencies import currency_code
from pazar.pricing.models import PriceList, ProductPrice

CURRENCY_HELP = "Any case; `tr`, `eu` and `lei` are TRY, EUR and RON."


class PriceListFilter(OmnitronFilterSet):
    currency = django_filters.CharFilter(method="filter_currency", help_text=CURRENCY_HELP)

    class Meta:
        model = PriceList
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "is_auto_sync": ["exact"],
            "sellers": ["exact"],
        }

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currency=currency_code(value) or value)


PRODUCT, PRICE_LIST = RelatedPk("product"), RelatedPk("price_list")


class ProductPriceFilter(OmnitronFilterSet):
    product = PRODUCT.exact()
    product__pk = PRODUCT.exact()
    product__in = PRODUCT.any_of()
    product__pk__in = PRODUCT.any_of()
    product__sku = django_filters.CharFilter(field_name="product__sku")
    product_sku = django_filters.CharFilter(field_name="product__sku")
    product__sku__in = CharInFilter(field_name="product__sku")
    price_list = PRICE_LIST.exact()
    price_list__in = PRICE_LIST.any_of()
    currency_type = django_filters.CharFilter(method="filter_currency", help_text=CURRENCY_HELP)
    sort = sort_filter("price")

    class Meta:
        model = ProductPrice
        fields = {"price_type": ["exact"], "price": ["exact", "gt", "gte", "lt", "lte"]}

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currency_type=currency_code(value) or value)
