import factory

from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel
from tests.factories import CategoryFactory, PriceListFactory, ProductFactory, StockListFactory


class CategoryTreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryTree

    name = factory.Sequence(lambda n: f"Tree {n}")
    category_root = factory.SubFactory(CategoryFactory)


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    name = factory.Sequence(lambda n: f"Catalog {n}")
    price_list = factory.SubFactory(PriceListFactory)
    stock_list = factory.SubFactory(StockListFactory)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    catalog = factory.SubFactory(CatalogFactory)
    product = factory.SubFactory(ProductFactory)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Channel {n}")
    catalog = factory.SubFactory(CatalogFactory)


def catalog_product(catalog: Catalog, **kwargs):
    """An operator's live product in `catalog`."""
    product = ProductFactory(seller=None, live=True, **kwargs)
    CatalogItem.objects.create(catalog=catalog, product=product)
    return product
