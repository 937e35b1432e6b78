import django_filters

from pazar.api.filters import IntegerInFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.images.models import ImageDownload, ProductImage, ProductVideo


class ProductImageFilter(OmnitronFilterSet):
    product__in = IntegerInFilter(field_name="product_id", lookup_expr="in")

    class Meta:
        model = ProductImage
        fields = {
            "product": ["exact"],
            "is_active": ["exact"],
            "status": ["exact"],
            "source": ["exact"],
            "image_type": ["exact"],
            "hash": ["exact"],
        }


class ImageDownloadFilter(OmnitronFilterSet):
    product_sku = django_filters.CharFilter()

    class Meta:
        model = ImageDownload
        fields = {"product": ["exact"], "status": ["exact"]}


class ProductVideoFilter(OmnitronFilterSet):
    product__in = IntegerInFilter(field_name="product_id", lookup_expr="in")

    class Meta:
        model = ProductVideo
        fields = {
            "product": ["exact"],
            "is_active": ["exact"],
            "status": ["exact"],
            "source": ["exact"],
            "hash": ["exact"],
        }
