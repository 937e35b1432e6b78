"""Omnitron: attributes, attribute values, attribute sets, category nodes and their attributes.

Every write goes through `pazar.catalog.services`; the views only parse and serialize.
Products and pre-products are in `product_views`.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.catalog import services
from pazar.catalog.api import filters, serializers
from pazar.catalog.models import (
    Attribute,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
)


def request_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


# --- attributes ---------------------------------------------------------------------------

ATTRIBUTE_EXAMPLE = request_example(
    "Dropdown attribute",
    {
        "key": "color",
        "name": "Color",
        "description": "The main color",
        "data_type": "dropdown",
        "erp_code": "CLR",
        "is_required": False,
        "pre_attribute": False,
        "is_localizable": False,
        "translations": {"tr-tr": {"name": "Renk"}},
    },
)


@extend_schema_view(
    get=extend_schema(summary="List attributes"),
    post=extend_schema(summary="Create an attribute", examples=[ATTRIBUTE_EXAMPLE]),
)
class AttributeListView(OmnitronView, generics.ListCreateAPIView):
    """Attribute definitions (omnitron.md §5). `key` is unique and stored upper-case."""

    queryset = Attribute.objects.order_by("pk")
    serializer_class = serializers.AttributeSerializer
    filterset_class = filters.AttributeFilter

    def perform_create(self, serializer):
        serializer.instance = services.attribute_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_attributes_list", summary="List attributes (i1)"),
    post=extend_schema(
        operation_id="i1_attributes_create",
        summary="Create an attribute (i1)",
        examples=[ATTRIBUTE_EXAMPLE],
    ),
)
class IntegrationAttributeListView(AttributeListView):
    """The ERP-integration (i1) path of the same attributes."""


@extend_schema_view(
    get=extend_schema(summary="Read an attribute"),
    put=extend_schema(summary="Replace an attribute"),
    patch=extend_schema(summary="Change an attribute"),
    delete=extend_schema(
        summary="Delete an attribute",
        description="Its values and category links are deleted with it.",
    ),
)
class AttributeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Attribute.objects.all()
    serializer_class = serializers.AttributeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.attribute_update(
            attribute=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.attribute_delete(attribute=instance)


# --- attribute values ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List attribute values"),
    post=extend_schema(
        summary="Create an attribute value",
        description="`(attribute, value)` is unique.",
        examples=[
            request_example(
                "Color value",
                {
                    "attribute": 1,
                    "label": "Red",
                    "value": "RD",
                    "order": 0,
                    "erp_code": "001",
                    "translations": {"tr-tr": {"label": "Kırmızı"}},
                },
            )
        ],
    ),
)
class AttributeValueListView(OmnitronView, generics.ListCreateAPIView):
    """The allowed values of choice attributes (omnitron.md §5)."""

    queryset = AttributeValue.objects.select_related("attribute").order_by("pk")
    serializer_class = serializers.AttributeValueSerializer
    filterset_class = filters.AttributeValueFilter

    def perform_create(self, serializer):
        serializer.instance = services.attribute_value_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_attribute_value_list", summary="List attribute values (i1)"),
    post=extend_schema(
        operation_id="i1_attribute_value_create", summary="Create an attribute value (i1)"
    ),
)
class IntegrationAttributeValueListView(AttributeValueListView):
    """The ERP-integration (i1) path of the same values."""


@extend_schema_view(
    get=extend_schema(summary="Read an attribute value"),
    put=extend_schema(summary="Replace an attribute value"),
    patch=extend_schema(summary="Change an attribute value"),
    delete=extend_schema(summary="Delete an attribute value"),
)
class AttributeValueDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = AttributeValue.objects.select_related("attribute")
    serializer_class = serializers.AttributeValueSerializer

    def perform_update(self, serializer):
        serializer.instance = services.attribute_value_update(
            attribute_value=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.attribute_value_delete(attribute_value=instance)


# --- attribute sets -----------------------------------------------------------------------

ATTRIBUTE_SET_EXAMPLE = request_example(
    "T-Shirt",
    {
        "name": "T-Shirt",
        "attribute_set_type": "simple",
        "attributeconfig_set": [
            {"attribute": 12, "is_required": True, "is_variant": True},
            {"attribute": 13, "is_required": False, "is_visible": True, "order": 1},
        ],
    },
)


def _set_writes(serializer) -> tuple[dict, list[dict] | None]:
    data = dict(serializer.validated_data)
    return data, data.pop("attributeconfig_set", None)


@extend_schema_view(
    get=extend_schema(summary="List attribute sets"),
    post=extend_schema(
        summary="Create an attribute set",
        description="With its configs, all or nothing: one config per attribute.",
        examples=[ATTRIBUTE_SET_EXAMPLE],
    ),
)
class AttributeSetListView(OmnitronView, generics.ListCreateAPIView):
    """Attribute sets and their attribute configs (omnitron.md §5)."""

    queryset = AttributeSet.objects.prefetch_related("attributeconfig_set").order_by("pk")
    serializer_class = serializers.AttributeSetSerializer
    filterset_class = filters.AttributeSetFilter

    def perform_create(self, serializer):
        data, configs = _set_writes(serializer)
        serializer.instance = services.attribute_set_create(**data, configs=configs)


@extend_schema_view(
    get=extend_schema(operation_id="i1_attribute_set_list", summary="List attribute sets (i1)"),
    post=extend_schema(
        operation_id="i1_attribute_set_create",
        summary="Create an attribute set (i1)",
        examples=[ATTRIBUTE_SET_EXAMPLE],
    ),
)
class IntegrationAttributeSetListView(AttributeSetListView):
    """The ERP-integration (i1) path of the same attribute sets."""


@extend_schema_view(
    get=extend_schema(summary="Read an attribute set"),
    put=extend_schema(summary="Replace an attribute set", examples=[ATTRIBUTE_SET_EXAMPLE]),
    patch=extend_schema(
        summary="Change an attribute set",
        description="`attributeconfig_set`, when sent, becomes the set's configs, all or nothing.",
    ),
    delete=extend_schema(
        summary="Delete an attribute set",
        description="Only a set no product uses can be deleted (400 else).",
    ),
)
class AttributeSetDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = AttributeSet.objects.prefetch_related("attributeconfig_set")
    serializer_class = serializers.AttributeSetSerializer

    def perform_update(self, serializer):
        data, configs = _set_writes(serializer)
        serializer.instance = services.attribute_set_update(
            attribute_set=serializer.instance, data=data, configs=configs
        )

    def perform_destroy(self, instance):
        services.attribute_set_delete(attribute_set=instance)


# --- category nodes -----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="List category nodes",
        description="A flat list of the category tree; `parent__isnull=true` gives the roots.",
    ),
    post=extend_schema(
        summary="Create a category node",
        examples=[
            request_example(
                "T-Shirts under Men",
                {
                    "name": "T-Shirts",
                    "code": "men-t-shirts",
                    "parent": 2,
                    "order": 0,
                    "translations": {"tr-tr": {"name": "Tişörtler"}},
                },
            )
        ],
    ),
)
class CategoryNodeListView(OmnitronView, generics.ListCreateAPIView):
    """The marketplace's category tree, node by node (our design; omnitron.md §9).

    The same categories are the Seller Center's (`uuid` is their `id` there).
    """

    queryset = Category.objects.order_by("pk")
    serializer_class = serializers.CategoryNodeSerializer
    filterset_class = filters.CategoryNodeFilter

    def perform_create(self, serializer):
        serializer.instance = services.category_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a category node"),
    put=extend_schema(summary="Replace a category node"),
    patch=extend_schema(summary="Change or move a category node"),
    delete=extend_schema(
        summary="Delete a category node",
        description="Only a node without subcategories and products can be deleted (400 else).",
    ),
)
class CategoryNodeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Category.objects.all()
    serializer_class = serializers.CategoryNodeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.category_update(
            category=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_delete(category=instance)


# --- category attributes ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List category attributes"),
    post=extend_schema(
        summary="Attach an attribute to a category",
        description="`(category, attribute)` is unique. Subcategories inherit the link.",
        examples=[
            request_example(
                "Required variant attribute",
                {"category": 3, "attribute": 1, "is_required": True, "is_variant": True},
            )
        ],
    ),
)
class CategoryAttributeListView(OmnitronView, generics.ListCreateAPIView):
    """Which attributes the products of a category carry, and how (our design)."""

    queryset = CategoryAttribute.objects.order_by("pk")
    serializer_class = serializers.CategoryAttributeSerializer
    filterset_class = filters.CategoryAttributeFilter

    def perform_create(self, serializer):
        serializer.instance = services.category_attribute_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a category attribute"),
    put=extend_schema(summary="Replace a category attribute"),
    patch=extend_schema(summary="Change a category attribute"),
    delete=extend_schema(summary="Detach an attribute from a category"),
)
class CategoryAttributeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CategoryAttribute.objects.all()
    serializer_class = serializers.CategoryAttributeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.category_attribute_update(
            link=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_attribute_delete(link=instance)
