"""A marketplace in memory: the remote side of a channel_app connector, for tests/clients.

channel_app (`CHANNEL_MODULE=marketplace`) asks this module for its `ChannelIntegration`: the
commands that talk to the remote marketplace. They answer at once (synchronous batches), with
remote ids made from the SKU (`R-<sku>` for a product, `P-`, `S-`, `I-` for its price, stock
and images), and record what was sent in `SENT`. Everything on the Omnitron side is
channel_app's own code, unchanged.
"""

import json
import os

from channel_app.channel.commands.orders.orders import GetOrders as BaseGetOrders
from channel_app.channel.commands.orders.orders import (
    GetUpdatedOrderItems as BaseGetUpdatedOrderItems,
)
from channel_app.channel.commands.orders.orders import SendUpdatedOrders as BaseSendUpdatedOrders
from channel_app.channel.commands.orders.orders import (
    UpdateCancellationRequest as BaseUpdateCancellationRequest,
)
from channel_app.channel.commands.setup import GetChannelConfSchema
from channel_app.channel.integration import ChannelIntegration as BaseChannelIntegration
from channel_app.core.commands import ChannelCommandInterface
from channel_app.core.data import (
    AttributeDto,
    AttributeValueDto,
    BatchRequestResponseDto,
    CancellationRequestDto,
    CategoryAttributeDto,
    CategoryAttributeValueDto,
    CategoryDto,
    CategoryNodeDto,
    CategoryTreeDto,
    ProductBatchRequestResponseDto,
)
from channel_app.omnitron.constants import ResponseStatus

# The marketplace's category tree: (remote id, name, children).
TREE = [
    ("clothing", "Clothing", [("shirts", "Shirts", []), ("trousers", "Trousers", [])]),
    ("shoes", "Shoes", []),
]
# The attributes of its leaf categories: (remote id, name, required, variant, values).
CATEGORY_ATTRIBUTES = {
    "shirts": [
        ("color", "Color", True, False, [("red", "Red"), ("blue", "Blue")]),
        ("size", "Size", False, True, [("s", "S"), ("m", "M")]),
    ],
    "trousers": [("size", "Size", False, True, [("s", "S"), ("m", "M")])],
}
# Attributes of no category.
ATTRIBUTES = [("material", "Material", [("cotton", "Cotton"), ("wool", "Wool")])]

SENT: list[dict] = []  # one entry per object the remote received: {"kind", "key", ...}


def state() -> dict:
    """What the test put on the marketplace (MARKETPLACE_STATE, JSON): `orders` placed there
    (`{"number", "lines": [{"remote_id", "sku"}]}`), `item_updates` it made to order lines
    (`{"remote_id", "status", "tracking_number"}`) and the `cancellation_requests` its
    customers made (`{"remote_id", "order_item", "reason", "description"}`: the line's and the
    reason's codes on the marketplace)."""
    return json.loads(os.environ.get("MARKETPLACE_STATE") or "{}")


def _address(line: str) -> dict:
    return {
        "email": "ayse@example.com",
        "phone_number": "05550000000",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "country": "TR",
        "city": "İstanbul",
        "township": "Kadıköy",
        "line": line,
    }


def sku_of(remote_id: str) -> str:
    return remote_id.split("-", 1)[1]


class _Remote(ChannelCommandInterface):
    """A call to the marketplace: the base class's steps, the remote answering in memory."""

    def get_data(self):
        return self.objects

    def validated_data(self, data):
        return data

    def transform_data(self, data):
        return data


class _SendObjects(_Remote):
    kind = ""
    prefix = ""
    dto = BatchRequestResponseDto

    def sku(self, item) -> str:
        # A price, stock or image carries the remote id of its product (inserts) or its own
        # (updates); either names the SKU.
        return sku_of(item.remote_id)

    def send_request(self, transformed_data):
        answers = []
        for item in transformed_data:
            sku = self.sku(item)
            SENT.append({"kind": self.kind, "pk": item.pk, "sku": sku, **self.payload(item)})
            answers.append(
                {
                    "sku": sku,
                    "remote_id": f"{self.prefix}-{sku}",
                    "status": ResponseStatus.success,
                    "message": "",
                }
            )
        return answers

    def payload(self, item) -> dict:
        return {}

    def normalize_response(self, data, validated_data, transformed_data, response):
        report = self.create_report(response)
        return [self.dto(**answer) for answer in response], report, data


class SendProducts(_SendObjects):
    kind, prefix, dto = "product", "R", ProductBatchRequestResponseDto

    def sku(self, item) -> str:
        return item.sku

    def payload(self, item) -> dict:
        mapped = getattr(item, "mapped_attributes", None)
        return {
            "name": item.name,
            "price": str(getattr(item, "productprice", {}).price)
            if getattr(item, "productprice", None)
            else None,
            "stock": getattr(getattr(item, "productstock", None), "stock", None),
            "category": [node["pk"] for node in getattr(item, "category_nodes", [])],
            "mapped": getattr(mapped, "mapped_attributes", None),
            "attribute_set": getattr(mapped, "attribute_set_remote_id", None),
        }


class SendPrices(_SendObjects):
    kind, prefix = "price", "P"

    def payload(self, item) -> dict:
        return {"price": str(item.price)}


class SendStocks(_SendObjects):
    kind, prefix = "stock", "S"

    def payload(self, item) -> dict:
        return {"stock": item.stock}


class SendImages(_SendObjects):
    kind, prefix = "image", "I"

    def payload(self, item) -> dict:
        return {"image": item.image, "order": item.order}


class GetCategoryTreeAndNodes(_Remote):
    def send_request(self, transformed_data):
        return TREE

    def normalize_response(self, data, validated_data, transformed_data, response):
        root = CategoryNodeDto(name="root", children=[], remote_id=None)

        def add(parent, nodes, top):
            for remote_id, name, children in nodes:
                node = CategoryNodeDto(
                    name=name, children=[], remote_id=remote_id, parent=None if top else parent
                )
                parent.children.append(node)
                add(node, children, top=False)

        add(root, response, top=True)
        return CategoryTreeDto(root=root), self.create_report(response)[0], data


class GetCategoryAttributes(_Remote):
    def send_request(self, transformed_data):
        return CATEGORY_ATTRIBUTES.get(transformed_data.remote_id, [])

    def normalize_response(self, data, validated_data, transformed_data, response):
        category = CategoryDto(
            remote_id=transformed_data.remote_id,
            name=transformed_data.remote_id.title(),
            attributes=[
                CategoryAttributeDto(
                    remote_id=remote_id,
                    name=name,
                    required=required,
                    variant=variant,
                    allow_custom_value=False,
                    values=[CategoryAttributeValueDto(remote_id=v, name=n) for v, n in values],
                )
                for remote_id, name, required, variant, values in response
            ],
        )
        return category, self.create_report(response or [category])[0], data


class GetAttributes(_Remote):
    def send_request(self, transformed_data):
        return ATTRIBUTES

    def normalize_response(self, data, validated_data, transformed_data, response):
        attributes = [
            AttributeDto(
                remote_id=remote_id,
                name=name,
                values=[AttributeValueDto(remote_id=v, name=n) for v, n in values],
            )
            for remote_id, name, values in response
        ]
        return attributes, self.create_report(response)[0], data


class GetOrders(BaseGetOrders):
    """The marketplace's new orders, in the shape channel_app's own example answers with;
    each line names its product by the product's remote id (`R-<sku>`)."""

    def send_request(self, transformed_data):
        return [
            {
                "order": {
                    "status": "400",
                    "remote_id": order["number"],
                    "number": order["number"],
                    "channel": "1",
                    "currency": "try",
                    "amount": str(100 * len(order["lines"])),
                    "shipping_amount": "0.0",
                    "shipping_tax_rate": "20",
                    "extra_field": {},
                    "created_at": "2026-01-02 10:00:00",
                    "customer": {
                        "email": "ayse@example.com",
                        "phone_number": None,
                        "first_name": "Ayşe",
                        "last_name": "Yılmaz",
                        "channel_code": "C-1",
                        "extra_field": None,
                        "is_active": True,
                    },
                    "shipping_address": _address("Moda Caddesi 1"),
                    "billing_address": _address("Moda Caddesi 1"),
                    "cargo_company": "aras",
                },
                "order_items": [
                    {
                        "remote_id": line["remote_id"],
                        "product": f"R-{line['sku']}",
                        "price_currency": "try",
                        "price": "100.0",
                        "tax_rate": "20",
                        "retail_price": "120.0",
                        "extra_field": {},
                        "status": "400",
                    }
                    for line in order["lines"]
                ],
            }
            for order in state().get("orders", [])
        ]


class GetUpdatedOrderItems(BaseGetUpdatedOrderItems):
    """What the marketplace changed on order lines (shipped, tracking numbers)."""

    def send_request(self, transformed_data):
        return [dict(update) for update in state().get("item_updates", [])]


class SendUpdatedOrders(BaseSendUpdatedOrders):
    """The marketplace takes the changed orders at once; an order's remote id is its number."""

    def send_request(self, transformed_data):
        answers = []
        for order in transformed_data:
            items = getattr(order, "orderitem_set", None) or []
            SENT.append(
                {
                    "kind": "order",
                    "pk": order.pk,
                    "number": order.number,
                    "items": {item.extra_field.get("id"): item.status for item in items},
                }
            )
            answers.append(
                {
                    "number": order.number,
                    "remote_id": order.number,
                    "status": ResponseStatus.success,
                    "message": "",
                }
            )
        return answers


class GetCancellationRequests(_Remote):
    """The cancellation requests the marketplace's customers made, as channel_app's
    `CancellationRequestDto`s (the base command's example leaves out its `description`)."""

    def send_request(self, transformed_data):
        return [dict(request) for request in state().get("cancellation_requests", [])]

    def normalize_response(self, data, validated_data, transformed_data, response):
        report = self.create_report(response)
        for row in response:
            yield CancellationRequestDto(cancellation_type="cancel", **row), report, data


class UpdateCancellationRequest(BaseUpdateCancellationRequest):
    """The marketplace takes what Pazar decided about a request at once."""

    def send_request(self, transformed_data):
        SENT.append(
            {
                "kind": "cancellation_request",
                "remote_id": transformed_data.remote_id,
                "status": transformed_data.status,
                "order_item": transformed_data.order_item,
            }
        )
        return {
            "status": ResponseStatus.success,
            "remote_id": transformed_data.remote_id,
            "sku": transformed_data.remote_id,
            "message": "",
        }


class ChannelIntegration(BaseChannelIntegration):
    actions = {
        "send_inserted_products": SendProducts,
        "send_updated_products": SendProducts,
        "send_inserted_prices": SendPrices,
        "send_updated_prices": SendPrices,
        "send_inserted_stocks": SendStocks,
        "send_updated_stocks": SendStocks,
        "send_inserted_images": SendImages,
        "send_updated_images": SendImages,
        "get_category_tree_and_nodes": GetCategoryTreeAndNodes,
        "get_category_attributes": GetCategoryAttributes,
        "get_attributes": GetAttributes,
        "get_channel_conf_schema": GetChannelConfSchema,
        "get_orders": GetOrders,
        "get_updated_order_items": GetUpdatedOrderItems,
        "send_updated_orders": SendUpdatedOrders,
        "get_cancellation_requests": GetCancellationRequests,
        "update_cancellation_request": UpdateCancellationRequest,
    }
