import django_filters

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import CharInFilter, RelatedPk, sort_filter
from pazar.inventory.models import ProductStock, StockList


class StockListFilter(OmnitronFilterSet):
    class Meta:
        model = StockList
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "is_auto_sync": ["exact"],
            "sellers": ["exact"],
        }


PRODUCT, STOCK_LIST = RelatedPk("product"), RelatedPk("stock_list")


class ProductStockFilter(OmnitronFilterSet):
    product = PRODUCT.exact()
    product__pk = PRODUCT.exact()
    product__in = PRODUCT.any_of()
    product__pk__in = PRODUCT.any_of()
    product__sku = django_filters.CharFilter(field_name="product__sku")
    product_sku = django_filters.CharFilter(field_name="product__sku")
    product__sku__in = CharInFilter(field_name="product__sku")
    stock_list = STOCK_LIST.exact()
    stock_list__in = STOCK_LIST.any_of()
    sort = sort_filter("stock")

    class Meta:
        model = ProductStock
        fields = {"unit_type": ["exact"], "stock": ["exact", "gt", "gte", "lt", "lte"]}
