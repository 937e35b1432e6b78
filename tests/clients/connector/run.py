"""Run channel_app's own services against Pazar, with the in-memory marketplace as the remote.

`python run.py <flow> [<flow> …]` (with the clients' interpreter, .venv-clients) runs each flow
once, in order, and prints one JSON line per flow: `{"flow", "sent", "errors"}` — what the
marketplace received, and the errors channel_app logged (it catches and logs what goes wrong
in a command instead of raising).

channel_app reads its settings from the environment: MAIN_APP_URL (it calls
`https://{MAIN_APP_URL}/api/v1/…`), OMNITRON_CHANNEL_ID, OMNITRON_CATALOG_ID,
OMNITRON_USERNAME, OMNITRON_PASSWORD, CACHE_HOST / CACHE_PORT / CACHE_DATABASE_INDEX (the
Redis of its token cache), OMNITRON_MODULE and CHANNEL_MODULE; REQUESTS_CA_BUNDLE makes it
trust the server's certificate.
"""

import json
import logging
import sys

import marketplace

FLOWS = {
    # Products alone: no mapping, stock, price or category (their prices, stocks and images
    # then go through their own flows).
    "insert_products_alone": ("channel_app.app.product.service", "ProductService", "insert_products",
                              {"add_mapped": False, "add_stock": False, "add_price": False, "add_categories": False}),
    "tree": ("channel_app.app.setup.service", "SetupService", "create_or_update_category_tree_and_nodes"),
    "category_attributes": ("channel_app.app.setup.service", "SetupService", "create_or_update_category_attributes"),
    "attributes": ("channel_app.app.setup.service", "SetupService", "create_or_update_attributes"),
    "insert_products": ("channel_app.app.product.service", "ProductService", "insert_products"),
    "update_products": ("channel_app.app.product.service", "ProductService", "update_products"),
    "insert_prices": ("channel_app.app.product_price.service", "PriceService", "insert_product_prices"),
    "update_prices": ("channel_app.app.product_price.service", "PriceService", "update_product_prices"),
    "insert_stocks": ("channel_app.app.product_stock.service", "StockService", "insert_product_stocks"),
    "update_stocks": ("channel_app.app.product_stock.service", "StockService", "update_product_stocks"),
    "insert_images": ("channel_app.app.product_image.service", "ImageService", "insert_product_images"),
    "update_images": ("channel_app.app.product_image.service", "ImageService", "update_product_images"),
    "import_orders": ("channel_app.app.order.service", "OrderService", "fetch_and_create_order"),
    "update_order_items": ("channel_app.app.order.service", "OrderService", "fetch_and_update_order_items"),
    "update_orders": ("channel_app.app.order.service", "OrderService", "update_orders",
                      {"add_order_items": True}),
    "import_cancellation_requests": ("channel_app.app.order.service", "OrderService",
                                     "fetch_and_create_cancellation_requests"),
    "update_cancellation_requests": ("channel_app.app.order.service", "OrderService",
                                     "update_cancellation_requests"),
}  # fmt: skip


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage()[:2000])


def main(flows: list[str]) -> None:
    import importlib

    collect = Collect()
    logging.getLogger().addHandler(collect)
    for flow in flows:
        module, service, method, *options = FLOWS[flow]
        marketplace.SENT.clear()
        collect.messages.clear()
        try:
            getattr(getattr(importlib.import_module(module), service)(), method)(
                **(options[0] if options else {})
            )
        except Exception as error:  # reported to the test, which fails on any error
            logging.getLogger(__name__).exception("%s raised %r", flow, error)
        result = {"flow": flow, "sent": list(marketplace.SENT), "errors": list(collect.messages)}
        print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
