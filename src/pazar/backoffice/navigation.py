"""The operators' sidebar: the daily work first, then the lists they keep.

Each entry shows only to operators holding its view permission. An entry whose admin page is
not registered (an app switched off) is left out rather than breaking every page.
"""

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from pazar.backoffice import selectors

# (title, icon, URL name, permission needed to see it: `app_label.codename` or None for staff)
SECTIONS = [
    (
        _("Daily work"),
        [
            (_("Dashboard"), "monitoring", "backoffice:dashboard", None),
            (
                _("Approval queue"),
                "fact_check",
                "admin:backoffice_pendingproduct_changelist",
                "catalog.view_product",
            ),
            (
                _("Batch requests"),
                "stacks",
                "admin:batches_batchrequest_changelist",
                "batches.view_batchrequest",
            ),
            (
                _("Stock by location"),
                "location_searching",
                "backoffice:whippy-stock",
                "whippy.view_stock",
            ),
        ],
    ),
    (
        _("Orders"),
        [
            (_("Orders"), "receipt_long", "admin:orders_order_changelist", "orders.view_order"),
            (_("Packages"), "package_2", "admin:fulfilment_package_changelist", "fulfilment.view_package"),
            (_("Cancellations and returns"), "assignment_return", "admin:claims_claim_changelist", "claims.view_claim"),
            (_("Customers"), "person_pin", "admin:customers_customer_changelist", "customers.view_customer"),
            (_("Shipping companies"), "local_shipping", "admin:orders_cargocompany_changelist", "orders.view_cargocompany"),
        ],
    ),
    (
        _("Catalog"),
        [
            (_("Categories"), "account_tree", "admin:catalog_category_changelist", "catalog.view_category"),
            (_("Attributes"), "sell", "admin:catalog_attribute_changelist", "catalog.view_attribute"),
            (_("Products"), "inventory_2", "admin:catalog_product_changelist", "catalog.view_product"),
        ],
    ),
    (
        _("Prices and stocks"),
        [
            (_("Price lists"), "payments", "admin:pricing_pricelist_changelist", "pricing.view_pricelist"),
            (_("Stock lists"), "warehouse", "admin:inventory_stocklist_changelist", "inventory.view_stocklist"),
        ],
    ),
    (
        _("Whippy Ware"),
        [
            (_("Providers"), "local_shipping", "admin:whippy_provider_changelist", "whippy.view_provider"),
            (_("Locations"), "pin_drop", "admin:whippy_stocklocation_changelist", "whippy.view_stocklocation"),
            (_("Stock list rules"), "rule", "admin:whippy_stocklistrule_changelist", "whippy.view_stocklistrule"),
            (_("Build a rule"), "construction", "backoffice:whippy-rule-new", "whippy.add_stocklistrule"),
            (_("Whippy stock lists"), "list_alt", "admin:whippy_stocklist_changelist", "whippy.view_stocklist"),
            (_("Location stocks"), "inventory", "admin:whippy_stock_changelist", "whippy.view_stock"),
        ],
    ),
    (
        _("People and access"),
        [
            (_("Sellers"), "storefront", "admin:accounts_seller_changelist", "accounts.view_seller"),
            (_("Users"), "person", "admin:auth_user_changelist", "auth.view_user"),
            (_("Groups"), "group", "admin:auth_group_changelist", "auth.view_group"),
            (_("Applications"), "apps", "admin:applications_application_changelist", "applications.view_application"),
        ],
    ),
]  # fmt: skip


def _allowed(permission):
    def check(request) -> bool:
        user = request.user
        return (
            user.is_active and user.is_staff and (permission is None or user.has_perm(permission))
        )

    return check


def sidebar(request) -> list[dict]:
    groups = []
    for title, entries in SECTIONS:
        items = []
        for label, icon, url_name, permission in entries:
            try:
                link = reverse(url_name)
            except NoReverseMatch:
                continue
            item = {"title": label, "icon": icon, "link": link, "permission": _allowed(permission)}
            if url_name == "admin:backoffice_pendingproduct_changelist":
                badge = approval_badge(request)
                if badge:
                    item["badge"] = badge
            items.append(item)
        if items:
            groups.append({"title": title, "separator": bool(groups), "items": items})
    return groups


def approval_badge(request) -> str:
    """The approval queue's size next to its entry, when something waits (else no badge)."""
    if not request.user.has_perm("catalog.view_product"):
        return ""
    size = selectors.approval_queue().count()
    return str(size) if size else ""


def script(request) -> str:
    """The back office's small shared behaviours (confirmations, copy buttons, icon names)."""
    return static("backoffice/backoffice.js")


def stylesheet(request) -> str:
    """The back office's own styles (charts, progress bars, side-by-side changes)."""
    return static("backoffice/backoffice.css")
