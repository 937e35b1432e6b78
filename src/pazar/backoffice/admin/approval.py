"""The approval queue: what sellers propose, next to what is live, decided one by one or many at once.

Decisions go through the catalog's approval services, as the Omnitron pre-product API's do.
Who may see the queue and decide follows the catalog's product permissions.
"""

from copy import copy

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pazar.backoffice import forms, selectors
from pazar.backoffice.models import PendingProduct
from pazar.catalog import services as catalog
from pazar.catalog.models import ProductRevision
from pazar.core.admin import ModelAdmin, RelatedDropdownFilter


class RequestKindFilter(admin.SimpleListFilter):
    title = gettext_lazy("request")
    parameter_name = "request"

    def lookups(self, request, model_admin):
        return [("new", gettext_lazy("New product")), ("change", gettext_lazy("Change"))]

    def queryset(self, request, queryset):
        pending = ProductRevision.objects.filter(status="pending").values("product_id")
        if self.value() == "new":
            return queryset.exclude(pk__in=pending)
        if self.value() == "change":
            return queryset.filter(pk__in=pending)
        return queryset


def _review(product) -> selectors.ApprovalReview:
    """The product's side-by-side review, computed once per product shown."""
    if not hasattr(product, "_review"):
        product._review = selectors.approval_review(product)
    return product._review


def _report(request, decided: int, asked: int, done: str) -> None:
    """`done` is "approved" or "rejected"; says what was decided and what was not waiting."""
    if done == "approved":
        text = ngettext("Approved %(count)d product.", "Approved %(count)d products.", decided)
    else:
        text = ngettext("Rejected %(count)d product.", "Rejected %(count)d products.", decided)
    text %= {"count": decided}
    skipped = asked - decided
    if skipped:
        text += " " + ngettext(
            "%(count)d product was not waiting for approval any more.",
            "%(count)d products were not waiting for approval any more.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, text)


@admin.register(PendingProduct)
class ApprovalQueueAdmin(ModelAdmin):
    list_display = [
        "product_sku",
        "product_name",
        "seller_name",
        "request_kind",
        "side_by_side",
        "waiting_since",
    ]
    list_display_links = ["product_sku", "product_name"]
    list_filter = [("seller", RelatedDropdownFilter), RequestKindFilter, "category"]
    list_filter_submit = True
    search_fields = ["sku", "name", "base_code"]
    list_per_page = 50
    list_fullwidth = True

    def get_ordering(self, request):
        """Longest waiting first, as "next" after a decision goes (`waiting_since_at` is the
        queue's annotation, so not an `ordering` the admin's checks accept)."""
        return ["waiting_since_at", "pk"]

    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return selectors.approval_queue()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Approval queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # The catalog's product permissions govern the queue, not permissions of this proxy.
    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("catalog.view_product")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalog.view_product")

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalog.change_product")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("SKU"), ordering="sku")
    def product_sku(self, product):
        return product.sku

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def product_name(self, product):
        return product.name

    @admin.display(description=gettext_lazy("seller"), ordering="seller__name")
    def seller_name(self, product):
        return product.seller or _("Operator")

    @admin.display(description=gettext_lazy("request"))
    def request_kind(self, product):
        return _("Change") if selectors.pending_revision(product) else _("New product")

    @admin.display(description=gettext_lazy("current → proposed"))
    def side_by_side(self, product):
        return render_to_string(
            "backoffice/approval/changes_cell.html", {"review": _review(product)}
        )

    @admin.display(description=gettext_lazy("waiting since"), ordering="waiting_since_at")
    def waiting_since(self, product):
        return _review(product).waiting_since

    # --- deciding many at once ------------------------------------------------------------

    @admin.action(description=gettext_lazy("Approve selected products"), permissions=["change"])
    def approve_selected(self, request, queryset):
        products = list(queryset)
        decided = catalog.products_approve(products=products, actor=request.user)
        _report(request, decided, len(products), "approved")

    @admin.action(description=gettext_lazy("Reject selected products"), permissions=["change"])
    def reject_selected(self, request, queryset):
        """Asks for the reason (the sellers see it) on a page of its own, then rejects."""
        form = forms.RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            products = list(queryset)
            decided = catalog.products_reject(
                products=products, actor=request.user, reason=form.cleaned_data["reason"]
            )
            _report(request, decided, len(products), "rejected")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject selected products"),
            "opts": self.model._meta,
            "products": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "backoffice/approval/reject.html", context)

    # --- one product: the side-by-side review page ---------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        product = self.get_queryset(request).filter(pk=object_id).first()
        if product is None:
            raise Http404
        form = forms.RejectForm(request.POST if "reject" in request.POST else None)
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            if "approve" in request.POST:
                decided = catalog.products_approve(products=[product], actor=request.user)
                _report(request, decided, 1, "approved")
                return self._next(request, product)
            if form.is_valid():
                decided = catalog.products_reject(
                    products=[product], actor=request.user, reason=form.cleaned_data["reason"]
                )
                _report(request, decided, 1, "rejected")
                return self._next(request, product)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review %(sku)s") % {"sku": product.sku},
            "opts": self.model._meta,
            "review": selectors.approval_review(product),
            "form": form,
            "can_decide": self.has_change_permission(request),
            "preserved_filters": self.get_preserved_filters(request),
            "queue_url": self._queue_url(request),
            "prices": product.prices.select_related("price_list"),
            "stocks": product.stocks.select_related("stock_list"),
        }
        return TemplateResponse(request, "backoffice/approval/review.html", context)

    def _queue_url(self, request) -> str:
        """The queue as the operator left it (its filters and search)."""
        url = reverse("admin:backoffice_pendingproduct_changelist")
        filters = request.GET.get("_changelist_filters", "")
        return f"{url}?{filters}" if filters else url

    def _filtered_queue(self, request):
        """The queue under the filters the operator came from, in the list's own order."""
        listing = copy(request)
        listing.GET = QueryDict(request.GET.get("_changelist_filters", ""))
        try:
            return self.get_changelist_instance(listing).get_queryset(listing)
        except (IncorrectLookupParameters, DisallowedModelAdminLookup):
            return self.get_queryset(request)

    def _next(self, request, decided):
        """On to the next product of the queue as filtered, or back to it when none is left."""
        following = self._filtered_queue(request).exclude(pk=decided.pk).first()
        if following is None:
            return redirect(self._queue_url(request))
        url = reverse("admin:backoffice_pendingproduct_change", args=[following.pk])
        filters = request.GET.get("_changelist_filters", "")
        if filters:
            url += "?" + urlencode({"_changelist_filters": filters})
        return redirect(url)
