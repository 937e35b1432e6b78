"""The operator's writes of products and pre-products (Omnitron, omnitron.md §4).

The operator's own products have no seller; their SKU is unique among them (the
`unique_catalog_sku` constraint). A product is created approved unless its type is a
pre-product type: a pre-product waits in the approval queue until it is productized.
Sellers' products can be changed here too: the operator's change is the approved data.

Attribute errors are nested per key (`{"attributes": {"COLOR": ["…"]}}`), which Django's
ValidationError cannot hold; they are raised as DRF's, which the API returns as they are.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError as FieldErrors

from pazar.catalog import selectors
from pazar.catalog.error_codes import ErrorCode
from pazar.catalog.models import (
    CHOICE_DATA_TYPES,
    PRE_PRODUCT_TYPES,
    ApprovalStatus,
    DataType,
    Product,
    ProductType,
)
from pazar.catalog.services.approval import pre_product_approve
from pazar.catalog.services.search_index import search_index_refresh
from pazar.catalog.validation import attribute_value
from pazar.core.services import field_error

# What an operator may set on a product (besides `group_products`, a many-to-many).
PRODUCT_FIELDS = [
    "name", "sku", "base_code", "product_type", "is_active", "category", "attribute_set",
    "custom_attribute_set", "parent", "attributes", "localized_attributes",
    "localized_attributes_kwargs", "extra_attributes", "listing_code", "description", "brand",
    "erp_categories", "tax_rate", "weight",
]  # fmt: skip
# Changing one of these checks the product's attributes again.
ATTRIBUTE_RULE_FIELDS = {"attributes", "attribute_set", "custom_attribute_set", "product_type"}
GROUP_TYPES = frozenset({ProductType.GROUPED, ProductType.BUNDLE})
REQUIRED = "This field is required."


def _type_name(code: str) -> str:
    return f'"{code}" ({ProductType(code).label})'


def _check_type(product_type: str, *, pre: bool) -> None:
    if pre and product_type not in PRE_PRODUCT_TYPES:
        allowed = " or ".join(_type_name(code) for code in sorted(PRE_PRODUCT_TYPES))
        raise field_error(
            "product_type",
            f"A pre-product's type is {allowed}.",
            ErrorCode.INVALID_PRODUCT_TYPE,
        )
    if not pre and product_type in PRE_PRODUCT_TYPES:
        raise field_error(
            "product_type",
            f"{_type_name(product_type)} is a pre-product type: pre-products are written "
            "through the pre_products API.",
            ErrorCode.INVALID_PRODUCT_TYPE,
        )


def _check_sku(product: Product) -> None:
    if product.seller_id is not None:
        return
    clash = Product.objects.filter(seller__isnull=True, sku=product.sku).exclude(pk=product.pk)
    if clash.exists():
        raise field_error(
            "sku",
            f'A product with the SKU "{product.sku}" already exists.',
            ErrorCode.PRODUCT_EXISTS,
        )


def _check_relations(product: Product, group_products: list[Product] | None) -> None:
    parent = product.parent
    if parent is not None and parent.pk == product.pk:
        raise field_error("parent", "A product cannot be its own parent.", ErrorCode.INVALID_PARENT)
    if parent is not None and parent.product_type != ProductType.PRODUCT_META:
        raise field_error(
            "parent",
            f"The parent of a variant is a product_meta product; product {parent.pk} is not one.",
            ErrorCode.INVALID_PARENT,
        )
    if group_products and product.product_type not in GROUP_TYPES:
        raise field_error(
            "group_products",
            "Only grouped and bundle products hold group products.",
            ErrorCode.INVALID_GROUP_PRODUCTS,
        )
    if group_products and product.pk in {item.pk for item in group_products}:
        raise field_error(
            "group_products",
            "A product cannot be one of its own group products.",
            ErrorCode.INVALID_GROUP_PRODUCTS,
        )


def _clean_attributes(product: Product) -> None:
    """Check `product.attributes` against its attribute sets; store them with their kwargs.

    Raises `{"attributes": {"<key>": ["…"]}}`. Choice values are stored by their `value`;
    `attributes_kwargs` gets `{"label", "value"}` (a list of them for `multiple`) per choice.
    """
    attributes = product.attributes
    if not isinstance(attributes, dict):
        raise FieldErrors({"attributes": ["Expected an object of attribute keys and values."]})
    pre = product.product_type in PRE_PRODUCT_TYPES
    sets = [s for s in (product.attribute_set, product.custom_attribute_set) if s is not None]
    rules = selectors.product_attribute_rules(
        attribute_sets=sets, keys=list(attributes), pre_attributes=pre
    )
    problems, clean, kwargs = {}, {}, {}
    for key, raw in attributes.items():
        rule = rules.get(key)
        if rule is None:
            problems[key] = [
                "Not an attribute of this product's attribute set."
                if sets
                else "No such attribute."
            ]
            continue
        stored, message = attribute_value(rule, raw)
        if message:
            problems[key] = [message]
        elif stored is not None:
            clean[key], kwargs[key] = _choice_codes(rule, stored)
    if not pre:
        for key, rule in rules.items():
            if rule.is_required and key not in clean and key not in problems:
                problems[key] = [REQUIRED]
    if problems:
        raise FieldErrors({"attributes": problems})
    product.attributes = clean
    product.attributes_kwargs = {key: value for key, value in kwargs.items() if value is not None}


def _choice_codes(rule, stored):
    """`(value to store, kwargs)`: choices by their code, with the label beside it."""
    data_type = rule.attribute.data_type
    if data_type not in CHOICE_DATA_TYPES:
        return stored, None
    chosen = [rule.value_of(item) for item in (stored if isinstance(stored, list) else [stored])]
    labelled = [{"label": value.label, "value": value.value} for value in chosen]
    if data_type == DataType.MULTIPLE:
        return [value.value for value in chosen], labelled
    return chosen[0].value, labelled[0]


def _save(product: Product, group_products: list[Product] | None) -> None:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # Another request took the SKU between the check and the insert.
        _check_sku(product)
        raise
    if group_products is not None:
        product.group_products.set(group_products)
    search_index_refresh(product_ids=[product.pk])


def _create(*, pre: bool, group_products: list[Product] | None, fields: dict) -> Product:
    default_type = ProductType.PRE_PRODUCT if pre else ProductType.SIMPLE
    product = Product(
        seller=None,
        product_type=fields.pop("product_type", default_type),
        base_code=fields.pop("base_code", None) or fields["sku"],
        **fields,
    )
    _check_type(product.product_type, pre=pre)
    _check_sku(product)
    _check_relations(product, group_products)
    _clean_attributes(product)
    if pre:
        product.approved, product.approval_status = False, ApprovalStatus.PENDING
    else:
        product.approved, product.approval_status = True, ApprovalStatus.APPROVED
        product.productization_date = timezone.now()
    _save(product, group_products)
    return product


@transaction.atomic
def product_create(*, sku: str, name: str, group_products=None, **fields) -> Product:
    """An operator's product, approved at once. `fields` are any of PRODUCT_FIELDS.

    `base_code` defaults to the SKU; `product_type` to simple.
    """
    return _create(
        pre=False, group_products=group_products, fields={**fields, "sku": sku, "name": name}
    )


@transaction.atomic
def pre_product_create(*, sku: str, name: str, group_products=None, **fields) -> Product:
    """An operator's pre-product (type pre_product unless pre_miscellaneous), waiting for approval."""
    return _create(
        pre=True, group_products=group_products, fields={**fields, "sku": sku, "name": name}
    )


def _update(product: Product, data: dict, *, pre: bool) -> Product:
    data = dict(data)
    group_products = data.pop("group_products", None)
    if product.seller_id is not None and data.get("sku", product.sku) != product.sku:
        raise field_error(
            "sku", "The SKU of a seller's product is the seller's to choose.", ErrorCode.SELLER_SKU
        )
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    if "product_type" in data:
        _check_type(product.product_type, pre=pre)
    if "sku" in data:
        _check_sku(product)
    _check_relations(
        product,
        group_products if group_products is not None else list(product.group_products.all()),
    )
    if ATTRIBUTE_RULE_FIELDS & set(data):
        _clean_attributes(product)
    product.updated_at = timezone.now()  # a PATCH always bumps modified_date
    _save(product, group_products)
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    """Change a product (any of PRODUCT_FIELDS and `group_products`); bumps `updated_at`."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    return _update(product, data, pre=False)


@transaction.atomic
def pre_product_update(
    *, product: Product, data: dict, actor, approved: bool | None = None
) -> Product:
    """Change a pre-product; with `approved=True`, then productize it (see approval)."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    pre = product.seller_id is None
    if data:
        _update(product, data, pre=pre)
    if approved:
        product = pre_product_approve(product=product, actor=actor)
    return product
