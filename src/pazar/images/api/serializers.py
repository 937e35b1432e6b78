"""Omnitron representations of product images and of image downloads (omnitron.md §6)."""

from django.core.validators import URLValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer
from pazar.api.urls import absolute_uri
from pazar.catalog.models import Product
from pazar.images import files
from pazar.images.models import ImageDownload, ImageType, ProductImage, ProductVideo
from pazar.images.services.downloads import MAX_IMAGES

MAX_ORDER = 2_147_483_647


class StoredFileField(serializers.FileField):
    """Written as an uploaded file, read as the file's absolute URL."""

    def to_representation(self, value):
        if not value:
            return None
        request = self.context.get("request")
        return absolute_uri(request, value.url) if request else files.public_url(value.name)


class StoredFileFieldExtension(OpenApiSerializerFieldExtension):
    target_class = StoredFileField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "format": "binary"}
        return {
            "type": "string",
            "format": "uri",
            "example": "https://pazar.example.com/files/product_images/12/9f86d0….png",
        }


class ProductImageSerializer(OmnitronModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    image = StoredFileField(
        help_text="Uploaded as a .png, .jpg or .jpeg file (multipart); read as its URL."
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ORDER,
        required=False,
        help_text="Without it, the image goes last.",
    )
    source = serializers.ChoiceField(
        choices=ProductImage._meta.get_field("source").choices, allow_null=True, required=False
    )
    # Declared so that a multipart body without it means true, not an unticked checkbox.
    is_active = serializers.BooleanField(default=True)

    class Meta:
        model = ProductImage
        fields = [
            "pk", "id", "product", "image", "order", "image_type", "source", "status", "is_active",
            "height", "width", "hash", "source_url", "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = ["status", "height", "width", "hash", "source_url"]


class ProductImageChangeSerializer(ProductImageSerializer):
    """A PATCH changes the order, the type, the source or whether the image is shown."""

    product = serializers.PrimaryKeyRelatedField(read_only=True)
    image = StoredFileField(read_only=True)


class ProductVideoSerializer(OmnitronModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    video = StoredFileField(help_text="Uploaded as an .mp4 file (multipart); read as its URL.")
    order = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ORDER,
        required=False,
        help_text="Without it, the video goes last.",
    )
    source = serializers.ChoiceField(
        choices=ProductVideo._meta.get_field("source").choices, allow_null=True, required=False
    )
    is_active = serializers.BooleanField(default=True)

    class Meta:
        model = ProductVideo
        fields = [
            "pk", "id", "product", "video", "order", "source", "status", "is_active", "size",
            "hash", "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = ["status", "size", "hash"]


class ProductVideoChangeSerializer(ProductVideoSerializer):
    product = serializers.PrimaryKeyRelatedField(read_only=True)
    video = StoredFileField(read_only=True)


# --- i1: downloadable images ----------------------------------------------------------------


class DownloadableImageItemSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000, validators=[URLValidator(schemes=["http", "https"])]
    )
    order = serializers.IntegerField(min_value=0, max_value=MAX_ORDER, default=0)
    image_type = serializers.ChoiceField(choices=ImageType.choices, default=ImageType.DEFAULT)


class DownloadableImageSerializer(serializers.Serializer):
    product_sku = serializers.CharField(max_length=255)
    images = DownloadableImageItemSerializer(many=True, max_length=MAX_IMAGES)

    def validate_images(self, images):
        urls = [item["url"] for item in images]
        repeated = sorted({url for url in urls if urls.count(url) > 1})
        if repeated:
            raise serializers.ValidationError(
                f"Each URL may appear once; repeated: {', '.join(repeated)}."
            )
        return images


class DownloadResultSerializer(serializers.Serializer):
    url = serializers.CharField()
    product_image = serializers.IntegerField(help_text="The image the URL's content is stored as.")


class DownloadErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="The image's place in `images`.")
    url = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    detail = serializers.CharField()


class ImageDownloadSerializer(OmnitronModelSerializer):
    images = DownloadableImageItemSerializer(many=True, read_only=True)
    results = DownloadResultSerializer(many=True, read_only=True)
    errors = DownloadErrorSerializer(many=True, read_only=True)
    # Null until the download starts, and until it ends.
    started_date = serializers.DateTimeField(source="started_at", read_only=True, allow_null=True)
    finished_date = serializers.DateTimeField(source="finished_at", read_only=True, allow_null=True)

    class Meta:
        model = ImageDownload
        fields = [
            "pk", "id", "product", "product_sku", "status", "images", "results", "errors",
            "created_date", "modified_date", "started_date", "finished_date",
        ]  # fmt: skip
        read_only_fields = ["product", "product_sku", "status"]
