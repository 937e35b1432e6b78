"""Omnitron: product images (omnitron.md §6). Writes go through `pazar.images.services`."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from pazar.accounts.sites import OmnitronView
from pazar.api.parsers import JSONParser
from pazar.api.urls import absolute_uri
from pazar.images import services
from pazar.images.api import filters, serializers
from pazar.images.models import ImageDownload, ProductImage, ProductVideo

# --- v1: product images ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List product images"),
    post=extend_schema(
        summary="Upload a product image",
        description="Multipart: `product` (id), `image` (a .png, .jpg or .jpeg file that must "
        "decode as such, at most `MAX_IMAGE_DIMENSIONS` and PAZAR_IMAGE_MAX_BYTES), optional "
        "`source`, `order` (default: after the product's last image), `image_type`, "
        "`is_active`. A product stores each content once: the same file again is a 400.",
    ),
)
class ProductImageListView(OmnitronView, generics.ListCreateAPIView):
    """A product's images, in `order`; `Product.images` lists the active ones' URLs."""

    queryset = ProductImage.objects.order_by("product_id", "order", "pk")
    serializer_class = serializers.ProductImageSerializer
    filterset_class = filters.ProductImageFilter
    # One of the two Omnitron endpoints with file bodies; JSON stays accepted for uniform 400s.
    parser_classes = [MultiPartParser, JSONParser]

    def perform_create(self, serializer):
        serializer.instance = services.product_image_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a product image"),
    patch=extend_schema(
        summary="Reorder, retype or show/hide a product image",
        examples=[
            OpenApiExample("Move first", value={"order": 0}, request_only=True),
            OpenApiExample("Hide", value={"is_active": False}, request_only=True),
        ],
    ),
    delete=extend_schema(summary="Delete a product image"),
)
class ProductImageDetailView(
    OmnitronView,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    generics.GenericAPIView,
):
    queryset = ProductImage.objects.all()
    serializer_class = serializers.ProductImageChangeSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    def patch(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def delete(self, request, *args, **kwargs):
        return self.destroy(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.product_image_update(
            product_image=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.product_image_delete(product_image=instance)


# --- v1: product videos ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List product videos"),
    post=extend_schema(
        summary="Upload a product video",
        description="Multipart: `product` (id), `video` (an .mp4 file, at most "
        "PAZAR_VIDEO_MAX_BYTES), optional `source`, `order` (default: after the product's "
        "last video), `is_active`. A product stores each content once.",
    ),
)
class ProductVideoListView(OmnitronView, generics.ListCreateAPIView):
    """A product's videos, in `order`; `Product.videos` lists the active ones' URLs."""

    queryset = ProductVideo.objects.order_by("product_id", "order", "pk")
    serializer_class = serializers.ProductVideoSerializer
    filterset_class = filters.ProductVideoFilter
    parser_classes = [MultiPartParser, JSONParser]

    def perform_create(self, serializer):
        serializer.instance = services.product_video_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a product video"),
    patch=extend_schema(summary="Reorder or show/hide a product video"),
    delete=extend_schema(summary="Delete a product video"),
)
class ProductVideoDetailView(
    OmnitronView,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    generics.GenericAPIView,
):
    queryset = ProductVideo.objects.all()
    serializer_class = serializers.ProductVideoChangeSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    def patch(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def delete(self, request, *args, **kwargs):
        return self.destroy(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.product_video_update(
            product_video=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.product_video_delete(product_video=instance)


# --- i1: replace a product's images from URLs -----------------------------------------------

DOWNLOAD_EXAMPLE = OpenApiExample(
    "Two images",
    value={
        "product_sku": "SKU1",
        "images": [
            {"url": "https://cdn.example.com/sku1/front.jpg", "order": 0},
            {"url": "https://cdn.example.com/sku1/red.png", "order": 1, "image_type": "swatch"},
        ],
    },
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(operation_id="i1_downloadable_image_list", summary="List image downloads"),
    post=extend_schema(
        operation_id="i1_downloadable_image_create",
        summary="Replace a product's images with the images at these URLs",
        description="`images` is the product's whole desired set: images not listed are "
        "deleted, images already stored (same URL or same content) get the new `order` and "
        "`image_type`, the others are downloaded. The download runs in the background: the "
        "answer is a 202 with the download (`status` `waiting`) and its URL in `Location`; "
        "read it until `status` is `completed` (`results`) or `failed` (`errors` per URL, "
        "and the product's images unchanged).",
        request=serializers.DownloadableImageSerializer,
        responses={202: serializers.ImageDownloadSerializer},
        examples=[DOWNLOAD_EXAMPLE],
    ),
)
class DownloadableImageListView(OmnitronView, generics.ListCreateAPIView):
    queryset = ImageDownload.objects.order_by("-pk")
    serializer_class = serializers.ImageDownloadSerializer
    filterset_class = filters.ImageDownloadFilter

    def create(self, request, *args, **kwargs):
        body = serializers.DownloadableImageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        download = services.image_download_accept(**body.validated_data, user=request.user)
        location = reverse("omnitron:downloadable-image-detail", kwargs={"pk": download.pk})
        return Response(
            self.get_serializer(download).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": absolute_uri(request, location)},
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="i1_downloadable_image_retrieve", summary="Read an image download"
    )
)
class DownloadableImageDetailView(OmnitronView, generics.RetrieveAPIView):
    """`status`: `waiting`, `processing`, then `completed` or `failed`."""

    queryset = ImageDownload.objects.all()
    serializer_class = serializers.ImageDownloadSerializer
