"""The operator's claims queue and a claim's page with its decision form.

The queue puts escalated returns (the seller rejected them: the operator decides) first, then
the oldest; by default it lists the claims that wait for someone's decision. A claim's page
shows its history and offers the moves the claim allows the operator now (wait, approve, reject
with a reason, receive the returned units, complete; `transitions.claim_allowed_actions`), each
through the claims app's services, as the operator (`CancelledBy.OPERATOR`). Whether received
or approved returns go back to stock is the `RETURN_RESTOCK_ON` setting's.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pazar.backoffice import labels
from pazar.claims import services as claims
from pazar.claims import transitions
from pazar.claims.admin import ClaimAdmin as ClaimsClaimAdmin
from pazar.claims.models import CancelledBy, Claim, ClaimStatus
from pazar.core.errors import ApplicationError

DECISIONS = {
    "wait": claims.claim_wait,
    "approve": claims.claim_approve,
    "reject": claims.claim_reject,
    "receive": claims.claim_receive,
    "complete": claims.claim_complete,
}
OPEN_STATUSES = (ClaimStatus.OPEN, ClaimStatus.WAITING, ClaimStatus.APPROVED)


class QueueFilter(admin.SimpleListFilter):
    """What waits for a decision (the default): open, waiting, approved (to refund), and the
    returns the seller rejected."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("all", _("All claims"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Waiting for a decision"),
        }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": _("All claims"),
        }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(
            Q(status__in=OPEN_STATUSES) | Q(status=ClaimStatus.REJECTED, escalated=True)
        )


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


admin.site.unregister(Claim)


@admin.register(Claim)
class ClaimAdmin(ClaimsClaimAdmin):
    list_display = [
        "uuid", "type_label", "status_label", "escalated", "order", "quantity", "refund_amount",
        "created_at",
    ]  # fmt: skip
    list_filter = [QueueFilter, *ClaimsClaimAdmin.list_filter]
    list_select_related = ["order"]
    ordering = ["-escalated", "created_at", "pk"]  # escalated returns first, then the oldest
    change_form_before_template = "backoffice/claims/admin_decision.html"
    inlines = []  # the history is on the decision's card above the claim's fields

    # A claim changes only through the decision form (the claims services): the fields are
    # read, never saved, and claims are not deleted.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("type"), ordering="type")
    def type_label(self, claim):
        return labels.claim_type(claim.type)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, claim):
        return labels.claim_status(claim.status)

    def get_urls(self):
        decide = path(
            "<int:claim_id>/decide/<slug:action>/",
            self.admin_site.admin_view(require_POST(self.decide_view)),
            name="claims_claim_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request, claim_id, action):
        if not request.user.has_perm("claims.change_claim"):
            raise PermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        decide = DECISIONS.get(action)
        form = DecisionForm(request.POST)
        if decide is None or not form.is_valid():
            raise PermissionDenied
        reason = form.cleaned_data["reason"]
        if action == "reject" and not reason:
            messages.error(request, gettext("Give a reason to reject a return."))
        else:
            kwargs = {"reason": reason} if action in ("approve", "reject") else {}
            try:
                decide(claim=claim, user=request.user, by=CancelledBy.OPERATOR, **kwargs)
            except ApplicationError as exc:
                messages.error(
                    request,
                    gettext("Not done: %(reason)s")
                    % {"reason": labels.claim_refusal(exc.code, exc.detail)},
                )
            else:
                messages.success(request, gettext("The claim is updated."))
        return redirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        if claim is not None:
            actions = transitions.claim_allowed_actions(claim, operator=True)
            extra_context = {
                **(extra_context or {}),
                "claim": claim,
                "decisions": actions if request.user.has_perm("claims.change_claim") else [],
                "history": claim.history.select_related("user").order_by("pk"),
            }
        return super().change_view(request, object_id, form_url, extra_context)
