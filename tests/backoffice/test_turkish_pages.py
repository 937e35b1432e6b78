"""Every page of both panels, in Turkish, has no English word left that is not a proper name."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pazar.accounts.models import Seller
from pazar.batches.models import BatchImport
from pazar.catalog.models import Product
from pazar.claims.services import (
    claim_approve,
    claim_complete,
    claim_receive,
    claim_reject,
    claim_wait,
)
from pazar.inventory.models import StockList
from pazar.pricing.models import PriceList
from tests.backoffice.conftest import client_for
from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.backoffice.test_claim_pages import returns_of
from tests.batches.helpers import run_ready_tasks
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    SellerMembershipFactory,
    UserFactory,
)
from tests.fulfilment import conftest as fulfilment

pytestmark = pytest.mark.django_db

# An order of two sellers placed through the channel API (the order and package pages' data).
placed, cargo = fulfilment.placed, fulfilment.cargo

# Words that would only be there untranslated (none of them is Turkish or a proper name).
ENGLISH = set(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "with",
        "without",
        "for",
        "from",
        "by",
        "select",
        "add",
        "delete",
        "change",
        "view",
        "save",
        "search",
        "filter",
        "filters",
        "apply",
        "reset",
        "cancel",
        "yes",
        "no",
        "all",
        "none",
        "any",
        "batch",
        "batches",
        "request",
        "requests",
        "completed",
        "failed",
        "waiting",
        "processing",
        "rows",
        "row",
        "products",
        "product",
        "approval",
        "approve",
        "approved",
        "reject",
        "rejected",
        "pending",
        "live",
        "queue",
        "seller",
        "sellers",
        "price",
        "prices",
        "stock",
        "stocks",
        "list",
        "lists",
        "location",
        "locations",
        "rule",
        "rules",
        "user",
        "users",
        "group",
        "groups",
        "name",
        "code",
        "status",
        "created",
        "updated",
        "history",
        "home",
        "logout",
        "log",
        "welcome",
        "date",
        "page",
        "next",
        "previous",
        "show",
        "more",
        "back",
        "file",
        "files",
        "error",
        "errors",
        "go",
        # the words of app and model names, choices and texts the services write
        "access",
        "login",
        "session",
        "object",
        "refund",
        "operator",
        "customer",
        "callback",
        "callbacks",
        "orders",
        "claims",
        "customers",
        "geography",
        "fulfilment",
        "categories",
        "backend",
        "database",
        "settings",
        "idempotent",
        "response",
        "schema",
        "passwords",
        "stored",
        "placed",
        "shipped",
        "delivered",
    ]
)
# Proper names and codes that stay as they are in every language.
PROPER = {
    "pazar",
    "omnitron",
    "whippy",
    "ware",
    "sku",
    "json",
    "url",
    "erp",
    "api",
    "utc",
    "csv",
    "xlsx",
    "id",
    "uuid",
    "en",
    "tr",
    "pid",
}


# Product names: Akinon's, and the extensions (applications) a marketplace installs.
PROPER_PHRASES = [
    "Seller Center Be",
    "Seller Center",
    "Live Commerce Landing Page",
    "Live Commerce",
]


class VisibleText(HTMLParser):
    """The text a person reads: element text (not scripts or styles), titles and labels."""

    SKIP = {"script", "style", "code", "pre", "noscript", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping, self.icon = [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        # The theme's icons are ligatures, hidden from screen readers by backoffice.js.
        self.icon = "material-symbols" in (dict(attrs).get("class") or "")
        for key, value in attrs:
            if key in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and not self.icon:
            self.parts.append(data)
        self.icon = False


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for name in PROPER_PHRASES:
        text = text.replace(name, "")
    words = {word.lower() for word in re.findall(r"\b[A-Za-z]+\b", text)}
    return (words & ENGLISH) - PROPER


def decided_in_full(claim) -> None:
    """Every move a return makes, so its history holds every word the services write."""
    claim_wait(claim=claim)
    claim_reject(claim=claim, reason="Etiketler yok")
    claim_approve(claim=claim)
    claim_receive(claim=claim)
    claim_complete(claim=claim)


def admin_pages() -> list[str]:
    pages = [
        "/admin/",
        "/admin/dashboard/",
        "/admin/stock-by-location/",
        "/admin/stock-rules/build/",
    ]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if opts.model_name not in ("pendingproduct", "batchrequest"):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return pages


def change_pages() -> list[str]:
    """The page of the first row of every model the admin shows (channels, packages, claims,
    users, callbacks, …)."""
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.model_name == "pendingproduct":  # below
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
    return pages


def test_every_admin_page_in_turkish_has_no_english_word_left(placed, cargo):
    Seller.objects.filter(pk=placed.package.seller_id).update(name="Deniz Tekstil")
    Seller.objects.filter(pk=placed.other_package.seller_id).update(name="Beta Giyim")
    Product.objects.filter(pk__in=placed.order.items.values("product")).update(name="Tişört")
    claim, _ = returns_of(placed, cargo)
    operator = client_for(OperatorFactory(is_superuser=True))
    decided_in_full(claim)
    revision = ProductRevisionFactory(product__name="Tişört", product__seller__name="Acme")
    batch = BatchRequestFactory(
        seller__name="Acme Tekstil",
        completed=True,
        error_rows=[error_row(0, "A", {"prices": {"0": {"price": ["x"]}}})],
    )
    for n, price_list in enumerate(PriceList.objects.all()):
        PriceList.objects.filter(pk=price_list.pk).update(name=f"Fiyatlar {n}", code=f"fiyat-{n}")
    for n, stock_list in enumerate(StockList.objects.all()):
        StockList.objects.filter(pk=stock_list.pk).update(name=f"Depo {n}", code=f"depo-{n}")
    from pazar.callbacks.tasks import deliver_callback

    deliver_callback.enqueue(0)  # a row on the background tasks' pages
    pages = [
        *admin_pages(),
        *change_pages(),
        f"/admin/backoffice/pendingproduct/{revision.product.pk}/change/",
        f"/admin/batches/batchrequest/{batch.pk}/change/",
        f"/admin/orders/order/{placed.order.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/change/",
    ]
    left = {}
    for url in pages:
        response = operator.get(url, HTTP_ACCEPT_LANGUAGE="tr", follow=True)
        if response.status_code == 403:  # a page nobody may open (adding a task's result)
            continue
        assert response.status_code == 200, url
        found = english_words(response.content.decode())
        if found:
            left[url] = sorted(found)

    assert left == {}


def test_every_panel_page_in_turkish_has_no_english_word_left(client, placed, cargo):
    # the seller of an order's package, with a product and a batch of theirs
    Seller.objects.filter(pk=placed.package.seller_id).update(name="Acme")
    Product.objects.filter(pk__in=placed.order.items.values("product")).update(name="Tişört")
    claim, waiting = returns_of(placed, cargo)
    decided_in_full(claim)
    membership = SellerMembershipFactory(
        user=UserFactory(email="owner@acme.example"), seller=placed.package.seller
    )
    product = ProductFactory(seller=membership.seller, name="Tişört", sku="T-1")
    batch = BatchRequestFactory(
        seller=membership.seller,
        completed=True,
        error_rows=[error_row(0, "A", {"sku": ["x"]})],
    )
    client.post(
        "/seller-center/panel/sign-in/",
        {"email": "owner@acme.example", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    # a file of stocks whose only row names a stock list that is not there
    client.post(
        "/seller-center/panel/uploads/",
        {
            "kind": "stocks",
            "file": SimpleUploadedFile("s.csv", b"sku,stock_list,stock\nT-1,yok,1\n"),
        },
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    run_ready_tasks("default")
    file_import = BatchImport.objects.get()
    pages = [
        "/seller-center/panel/products/",
        f"/seller-center/panel/products/{product.uuid}/",
        "/seller-center/panel/batch-requests/",
        f"/seller-center/panel/batch-requests/{batch.pk}/",
        "/seller-center/panel/access-tokens/",
        "/seller-center/panel/uploads/",
        f"/seller-center/panel/uploads/{file_import.pk}/",
        f"/seller-center/panel/batch-requests/{file_import.batches.get().pk}/",
        "/seller-center/panel/packages/",
        f"/seller-center/panel/packages/{placed.package.number}/",
        "/seller-center/panel/claims/",
        f"/seller-center/panel/claims/{claim.uuid}/",
        f"/seller-center/panel/claims/{waiting.uuid}/",
    ]
    left = {}
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="tr")
        assert response.status_code == 200, url
        found = english_words(response.content.decode())
        if found:
            left[url] = sorted(found)

    assert left == {}
