"""The marketplace's category tree, attribute definitions and products.

Every row has an integer `pk` (Omnitron's ids) and a `uuid` (the Seller Center's `id`), so each
API can speak its own dialect about the same data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class DataType(models.TextChoices):
    """One set of attribute types for both APIs: Omnitron's names, plus `number`.

    The Seller Center reads them in its own words (`seller_center_data_type`).
    """

    TEXT = "text", _("text")
    EMAIL = "email", _("email")
    TEXT_AREA = "text_area", _("text area")
    DATE = "date", _("date")
    DATETIME = "datetime", _("datetime")
    BOOLEAN = "boolean", _("boolean")
    VALUELABEL = "valuelabel", _("valuelabel")
    DROPDOWN = "dropdown", _("dropdown")
    MULTIPLE = "multiple", _("multiple")
    PRICE = "price", _("price")
    NESTED_OBJECT = "nested_object", _("nested object")
    IMAGE = "image", _("image")
    FILE = "file", _("file")
    MODEL = "model", _("model")
    BUNDLE = "bundle", _("bundle")
    NUMBER = "number", _("number")


# The Seller Center's names (seller-center.md, CTG102); what it has no word for reads as text.
SELLER_CENTER_DATA_TYPES = {
    DataType.TEXT: "text",
    DataType.TEXT_AREA: "textarea",
    DataType.NUMBER: "number",
    DataType.PRICE: "number",
    DataType.BOOLEAN: "boolean",
    DataType.DATE: "date",
    DataType.DROPDOWN: "dropdown",
    DataType.MULTIPLE: "multiselect",
}
# Other spellings accepted on write: the Seller Center's names of the same types.
DATA_TYPE_ALIASES = {"textarea": DataType.TEXT_AREA, "multiselect": DataType.MULTIPLE}
CHOICE_DATA_TYPES = frozenset({DataType.DROPDOWN, DataType.MULTIPLE})


def seller_center_data_type(data_type: str) -> str:
    return SELLER_CENTER_DATA_TYPES.get(data_type, "text")


class Category(models.Model):
    """A node of the category tree; `translations` is `{"tr-tr": {"name": "…"}}`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.SlugField(max_length=100, unique=True, verbose_name=_("code"))
    translations = models.JSONField(default=dict, blank=True, verbose_name=_("translations"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("category")
        ordering = ["order", "name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    key = models.CharField(max_length=100, unique=True, verbose_name=_("key"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    description = models.TextField(blank=True, default="", verbose_name=_("description"))
    data_type = models.CharField(
        max_length=20, choices=DataType.choices, default=DataType.TEXT, verbose_name=_("data type")
    )
    default_value = models.JSONField(null=True, blank=True, verbose_name=_("default value"))
    erp_code = models.CharField(max_length=255, blank=True, default="", verbose_name=_("ERP code"))
    pre_attribute = models.BooleanField(
        default=False,
        help_text=_("An attribute of pre-products (not yet productized items)."),
        verbose_name=_("pre attribute"),
    )
    is_required = models.BooleanField(
        default=False,
        help_text=_("Required on every product whose attribute set holds it."),
        verbose_name=_("is required"),
    )
    is_localizable = models.BooleanField(default=False, verbose_name=_("is localizable"))
    translations = models.JSONField(default=dict, blank=True, verbose_name=_("translations"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class AttributeValue(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="values", verbose_name=_("attribute")
    )
    label = models.CharField(max_length=255, verbose_name=_("label"))
    value = models.CharField(max_length=255, verbose_name=_("value"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    erp_code = models.CharField(max_length=255, blank=True, default="", verbose_name=_("ERP code"))
    translations = models.JSONField(default=dict, blank=True, verbose_name=_("translations"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["attribute", "order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "value"], name="unique_attribute_value")
        ]

    def __str__(self) -> str:
        return f"{self.attribute.key}={self.value}"


class CategoryAttribute(models.Model):
    """How an attribute is used by the products of one category."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="attribute_links",
        verbose_name=_("category"),
    )
    attribute = models.ForeignKey(
        Attribute,
        on_delete=models.CASCADE,
        related_name="category_links",
        verbose_name=_("attribute"),
    )
    is_required = models.BooleanField(default=False, verbose_name=_("is required"))
    is_variant = models.BooleanField(default=False, verbose_name=_("is variant"))
    is_offer = models.BooleanField(default=False, verbose_name=_("is offer"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        ordering = ["order", "attribute__key"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "attribute"], name="unique_category_attribute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} · {self.attribute}"


class AttributeSetType(models.TextChoices):
    SIMPLE = "simple", _("simple")
    GROUPED = "grouped", _("grouped")


class AttributeSet(models.Model):
    """The attributes a kind of product carries (Omnitron); each one through an AttributeConfig."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    attribute_set_type = models.CharField(
        max_length=10,
        choices=AttributeSetType.choices,
        default=AttributeSetType.SIMPLE,
        verbose_name=_("attribute set type"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("attribute set")
        verbose_name_plural = _("attribute sets")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class AttributeConfig(models.Model):
    """How one attribute is used by the products of one attribute set."""

    # The default related name, `attributeconfig_set`, is Omnitron's name of the nested list.
    attribute_set = models.ForeignKey(
        AttributeSet, on_delete=models.CASCADE, verbose_name=_("attribute set")
    )
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="configs", verbose_name=_("attribute")
    )
    is_required = models.BooleanField(default=False, verbose_name=_("is required"))
    is_variant = models.BooleanField(default=False, verbose_name=_("is variant"))
    is_visible = models.BooleanField(default=True, verbose_name=_("is visible"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("attribute config")
        verbose_name_plural = _("attribute configs")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute_set", "attribute"], name="unique_attribute_config"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attribute_set_id} · {self.attribute}"


class ProductType(models.TextChoices):
    """Omnitron's product types. `5` and `6` are ours: the spec names the pre types, not codes."""

    SIMPLE = "0", _("simple")
    PRODUCT_META = "1", _("product_meta")
    BUNDLE = "2", _("bundle")
    GROUPED = "3", _("grouped")
    MISCELLANEOUS = "4", _("miscellaneous")
    PRE_PRODUCT = "5", _("pre_product")
    PRE_MISCELLANEOUS = "6", _("pre_miscellaneous")


# A pre-product's type, and the type it takes when it is productized (approved).
PRODUCTIZED_TYPES = {
    ProductType.PRE_PRODUCT: ProductType.SIMPLE,
    ProductType.PRE_MISCELLANEOUS: ProductType.MISCELLANEOUS,
}
PRE_PRODUCT_TYPES = frozenset(PRODUCTIZED_TYPES)


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ProductQuerySet(models.QuerySet):
    def catalog(self):
        """The marketplace master catalog: approved, active products."""
        return self.filter(approved=True, is_active=True)

    def productized(self):
        """Omnitron's products: approved, and no longer of a pre-product type."""
        return self.filter(approved=True).exclude(product_type__in=PRE_PRODUCT_TYPES)


class Product(models.Model):
    """A product of the catalog. With a `seller`, it is that seller's offer (one SKU).

    `approved` says whether the product is live; the data in the row is always the approved
    version. A seller's change to catalog data waits in a pending `ProductRevision` until an
    operator decides; a new product waits as a row with `approved=False`.

    Without a seller it is the operator's own (Omnitron) product, approved when created unless
    its type is a pre-product type. The Omnitron-only columns have database defaults, so the
    Seller Center's bulk inserts, which do not name them, stay valid.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    seller = models.ForeignKey(
        "accounts.Seller",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="products",
        db_index=False,  # (seller, sku) and the indexes below lead with the seller
        verbose_name=_("seller"),
    )
    sku = models.CharField(max_length=255, verbose_name=_("SKU"))
    base_code = models.CharField(max_length=255, verbose_name=_("base code"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    attributes = models.JSONField(default=dict, blank=True, verbose_name=_("attributes"))
    images = models.JSONField(default=list, blank=True, verbose_name=_("images"))
    videos = models.JSONField(default=list, blank=True, verbose_name=_("videos"))
    catalog_product = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers",
        help_text=_("The catalog product this offer sells (PRD101 `product`)."), verbose_name=_("catalog product"),
    )  # fmt: skip
    restrict_for_others = models.BooleanField(default=False, verbose_name=_("restrict for others"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    approved = models.BooleanField(default=False, verbose_name=_("approved"))
    approval_status = models.CharField(
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        verbose_name=_("approval status"),
    )
    rejection_reason = models.TextField(blank=True, verbose_name=_("rejection reason"))
    # --- Omnitron (omnitron.md §4) ---
    product_type = models.CharField(
        max_length=2,
        choices=ProductType.choices,
        default=ProductType.SIMPLE,
        db_default=ProductType.SIMPLE,
        verbose_name=_("product type"),
    )
    attribute_set = models.ForeignKey(
        AttributeSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("attribute set"),
    )
    custom_attribute_set = models.ForeignKey(
        AttributeSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("custom attribute set"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="variants",
        help_text=_("The product_meta product this product is a variant of."), verbose_name=_("parent"),
    )  # fmt: skip
    group_products = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        verbose_name=_("group products"),
    )
    listing_code = models.CharField(
        max_length=255, blank=True, default="", db_default="", verbose_name=_("listing code")
    )
    description = models.TextField(
        blank=True, default="", db_default="", verbose_name=_("description")
    )
    brand = models.CharField(
        max_length=255, blank=True, default="", db_default="", verbose_name=_("brand")
    )
    erp_categories = models.JSONField(
        default=list, blank=True, db_default=[], verbose_name=_("ERP categories")
    )
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, verbose_name=_("tax rate")
    )
    weight = models.DecimalField(
        max_digits=12, decimal_places=3, null=True, blank=True, verbose_name=_("weight")
    )
    productization_date = models.DateTimeField(
        null=True, blank=True, verbose_name=_("productization date")
    )
    attributes_kwargs = models.JSONField(
        default=dict, blank=True, db_default={}, verbose_name=_("attributes kwargs")
    )
    localized_attributes = models.JSONField(
        default=dict, blank=True, db_default={}, verbose_name=_("localized attributes")
    )
    localized_attributes_kwargs = models.JSONField(
        default=dict, blank=True, db_default={}, verbose_name=_("localized attributes kwargs")
    )
    extra_attributes = models.JSONField(
        default=dict, blank=True, db_default={}, verbose_name=_("extra attributes")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            # NULL sellers never conflict here, so operators' own products are covered below.
            models.UniqueConstraint(fields=["seller", "sku"], name="unique_seller_sku"),
            models.UniqueConstraint(
                fields=["sku"], condition=Q(seller__isnull=True), name="unique_catalog_sku"
            ),
        ]
        indexes = [
            # PRD102's default page: a seller's approved products, newest first, read in index order.
            models.Index(
                fields=["seller", "-updated_at", "-id"],
                condition=Q(approved=True),
                name="product_seller_list",
            ),
            # Counts of a seller's (approved) products, also by category, from the index alone.
            models.Index(fields=["seller", "approved", "category"], name="product_seller_count"),
            # Omnitron's products (`productized`), by type and id: the sales-channel feeds
            # read and count a catalog's products from this index alone (docs/performance.md).
            models.Index(
                fields=["product_type", "id"],
                condition=Q(approved=True) & ~Q(product_type__in=sorted(PRE_PRODUCT_TYPES)),
                name="product_productized",
            ),
            models.Index(fields=["approval_status"], name="product_approval"),
            models.Index(fields=["base_code"], name="product_base_code"),
            # Omnitron's `sku` filter ignores case (`UPPER(sku) = UPPER(%s)` on PostgreSQL).
            models.Index(Upper("sku"), name="product_sku_upper"),
        ]

    def __str__(self) -> str:
        return self.sku


# The catalog fields a seller's change to an approved product proposes: `ProductRevision.data`
# key → `Product` attribute (`category` and `catalog_product` are kept as primary keys). The one
# definition of the revision format; `revision_data` and `revision_apply` read and write it.
REVISION_FIELDS = {
    "name": "name",
    "base_code": "base_code",
    "category": "category_id",
    "attributes": "attributes",
    "images": "images",
    "videos": "videos",
    "restrict_for_others": "restrict_for_others",
    "catalog_product": "catalog_product_id",
}


def revision_data(source) -> dict:
    """The catalog fields of a product in the shape of `ProductRevision.data`; of a dict of
    fields by attribute name, those it holds."""
    if isinstance(source, dict):
        return {key: source[name] for key, name in REVISION_FIELDS.items() if name in source}
    return {key: getattr(source, name) for key, name in REVISION_FIELDS.items()}


def revision_apply(product, data: dict) -> None:
    """Set the catalog fields of `data` (a `ProductRevision.data`) on `product`."""
    for key, attribute in REVISION_FIELDS.items():
        setattr(product, attribute, data[key])


class ProductRevision(models.Model):
    """A seller's change to an approved product's catalog data, waiting for an operator."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("product")
    )
    data = models.JSONField(
        help_text=_("The proposed catalog fields, as the product would hold them."),
        verbose_name=_("data"),
    )
    status = models.CharField(
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        verbose_name=_("status"),
    )
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("product revision")
        verbose_name_plural = _("product revisions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="one_pending_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
