from django.contrib import admin

from pazar.core.admin import ModelAdmin
from pazar.images import services
from pazar.images.models import ImageDownload, ProductImage, ProductVideo


@admin.register(ProductImage)
class ProductImageAdmin(ModelAdmin):
    """Images are added through the API, which checks the file; here they are ordered and shown."""

    list_display = [
        "pk",
        "product",
        "order",
        "image_type",
        "source",
        "is_active",
        "width",
        "height",
    ]
    list_filter = ["image_type", "source", "is_active"]
    search_fields = ["product__sku", "hash", "source_url"]
    raw_id_fields = ["product"]
    fields = [
        "product", "image", "order", "image_type", "source", "status", "is_active", "width",
        "height", "hash", "source_url", "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = [
        "product", "image", "status", "width", "height", "hash", "source_url", "created_at",
        "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # `obj` has the form's values already; the service compares against the stored row.
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        stored = ProductImage.objects.get(pk=obj.pk)
        services.product_image_update(product_image=stored, data=data)

    def delete_model(self, request, obj):
        services.product_image_delete(product_image=obj)

    def delete_queryset(self, request, queryset):
        for product_image in queryset:
            services.product_image_delete(product_image=product_image)


@admin.register(ProductVideo)
class ProductVideoAdmin(ModelAdmin):
    """Videos are added through the API, which checks the file; here they are ordered and shown."""

    list_display = ["pk", "product", "order", "source", "is_active", "size"]
    list_filter = ["source", "is_active"]
    search_fields = ["product__sku", "hash"]
    fields = [
        "product", "video", "order", "source", "status", "is_active", "size", "hash",
        "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = ["product", "video", "status", "size", "hash", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        stored = ProductVideo.objects.get(pk=obj.pk)
        services.product_video_update(product_video=stored, data=data)

    def delete_model(self, request, obj):
        services.product_video_delete(product_video=obj)

    def delete_queryset(self, request, queryset):
        for product_video in queryset:
            services.product_video_delete(product_video=product_video)


@admin.register(ImageDownload)
class ImageDownloadAdmin(ModelAdmin):
    list_display = ["pk", "product_sku", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["product_sku"]
    readonly_fields = [
        "product", "product_sku", "images", "status", "results", "errors", "created_by",
        "created_at", "updated_at", "started_at", "finished_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
