"""The Seller Center panel's packages: the seller's packages by status, and a package's page
with its items, addresses and history, and the forms of the actions it allows now.

Each form calls the fulfilment app's service for its action, as the Seller Center's API does
(`POST /api/i2/packages/{number}/{action}/`); a refusal (an illegal move, an item already
cancelled) comes back as a message on the page, and nothing is written.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pazar.backoffice import forms, labels
from pazar.backoffice import orders as selectors
from pazar.backoffice.views.panel import PER_PAGE, _day_start, _render, _url, seller_required
from pazar.core.errors import ApplicationError
from pazar.fulfilment import services as fulfilment
from pazar.fulfilment.models import InvoiceDataType


@require_GET
@seller_required
def package_list(request):
    form = forms.PackageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    since, until = filters.get("since"), filters.get("until")
    packages = selectors.seller_packages(
        seller=request.seller,
        status=filters.get("status"),
        text=(filters.get("q") or "").strip(),
        since=_day_start(since) if since else None,
        until=_day_start(until) + timedelta(days=1) if until else None,
    )
    page = Paginator(packages, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": selectors.package_status_counts(seller=request.seller),
        "active_status": filters.get("status"),
        "section": "packages",
    }
    return _render(request, "packages.html", context)


def _own(request, number: str) -> selectors.PackagePage:
    found = selectors.seller_package(seller=request.seller, number=number)
    if found is None:
        raise Http404
    return found


def _forms(found: selectors.PackagePage, data=None, action: str = "") -> dict:
    """Each allowed action's form; the one just posted bound to what was sent."""

    def bound(name):
        return data if name == action else None

    return {
        "ship": forms.ShipForm(bound("ship"), prefix="ship"),
        "invoice": forms.InvoiceForm(bound("invoice"), prefix="invoice"),
        "split": forms.ItemsForm(bound("split"), items=found.live, prefix="split"),
        "reject": forms.RejectItemsForm(bound("reject-items"), items=found.live, prefix="reject"),
    }


def _page(request, found: selectors.PackagePage, action_forms: dict, status: int = 200):
    context = {
        "found": found,
        "package": found.package,
        "order": found.package.order,
        "forms": action_forms,
        "section": "packages",
    }
    return _render(request, "package.html", context, status=status)


@require_GET
@seller_required
def package_detail(request, number):
    found = _own(request, number)
    return _page(request, found, _forms(found))


def _act(request, found: selectors.PackagePage, action: str, form):
    """Run the action's service; `(new package or None, error message or None)`."""
    package, user = found.package, request.seller_user
    if action == "ready":
        return fulfilment.package_ready(package=package, user=user)
    data = form.cleaned_data
    if action == "ship":
        return fulfilment.package_ship(
            package=package,
            user=user,
            shipping_company=data["shipping_company"],
            tracking_number=data["tracking_number"],
            tracking_url=data["tracking_url"],
            waybill_number=data["waybill_number"],
        )
    if action == "invoice":
        url = data["invoice_url"] or None
        return fulfilment.package_invoice(
            package=package,
            user=user,
            invoice_number=data["invoice_number"],
            invoice_date=data["invoice_date"],
            invoice_data=url,
            invoice_data_type=InvoiceDataType.URL if url else None,
        )
    if action == "split":
        return fulfilment.package_split(package=package, items=form.chosen(), user=user)
    return fulfilment.package_items_cancel(
        package=package, items=form.chosen(), reason=data["reason"], user=user
    )


@require_POST
@seller_required
def package_action(request, number, action):
    if action not in labels.PACKAGE_ACTION:
        raise Http404
    found = _own(request, number)
    action_forms = _forms(found, request.POST, action)
    form = {"ship": action_forms["ship"], "invoice": action_forms["invoice"],
            "split": action_forms["split"], "reject-items": action_forms["reject"]}.get(action)  # fmt: skip
    if form is not None and not form.is_valid():
        return _page(request, found, action_forms, status=400)
    try:
        result = _act(request, found, action, form)
    except ApplicationError as exc:
        messages.error(
            request,
            _("Not done: %(reason)s") % {"reason": labels.package_refusal(exc.code, exc.detail)},
        )
        return redirect(_url("panel-package", number=number))
    done = {
        "ready": _("The package is ready to ship."),
        "ship": _("The package is shipped."),
        "invoice": _("The invoice is attached."),
        "split": _("The chosen units are in a new package, %(number)s."),
        "reject-items": _("The chosen units are rejected; they went back to stock."),
    }[action]
    messages.success(request, done % {"number": result.number} if "%(" in done else done)
    return redirect(_url("panel-package", number=number))
