import django_filters
from django.contrib.contenttypes.models import ContentType

from pazar.api.filters import CODE_LOOKUPS, TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import CharInFilter, RelatedPk, sort_filter
from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel

PRICE_LIST = RelatedPk("price_list")
STOCK_LIST = RelatedPk("stock_list")
TREE = RelatedPk("category_tree")
CATALOG = RelatedPk("catalog")
PRODUCT = RelatedPk("product")
ROOT = RelatedPk("category_root")


class CategoryTreeFilter(OmnitronFilterSet):
    category_root = ROOT.exact()
    sort = sort_filter("name")

    class Meta:
        model = CategoryTree
        fields = {"name": TEXT_LOOKUPS}


class CatalogFilter(OmnitronFilterSet):
    price_list = PRICE_LIST.exact()
    stock_list = STOCK_LIST.exact()
    category_tree = TREE.exact()
    sort = sort_filter("name")

    class Meta:
        model = Catalog
        fields = {"name": TEXT_LOOKUPS}


class CatalogItemFilter(OmnitronFilterSet):
    catalog = CATALOG.exact()
    catalog__in = CATALOG.any_of()
    product = PRODUCT.exact()
    product__pk = PRODUCT.exact()
    product__in = PRODUCT.any_of()
    product__pk__in = PRODUCT.any_of()
    product__sku = django_filters.CharFilter(field_name="product__sku")
    product__sku__in = CharInFilter(field_name="product__sku")
    sort = sort_filter()

    class Meta:
        model = CatalogItem
        fields: dict = {}


class ChannelFilter(OmnitronFilterSet):
    catalog = CATALOG.exact()
    category_tree = TREE.exact()
    sort = sort_filter("name")

    class Meta:
        model = Channel
        fields = {"name": TEXT_LOOKUPS, "channel_type": CODE_LOOKUPS, "is_active": ["exact"]}


class ContentTypeFilter(OmnitronFilterSet):
    class Meta:
        model = ContentType
        fields = {"model": CODE_LOOKUPS, "app_label": CODE_LOOKUPS}
