"""The Seller Center panel's claims: the seller's cancellations and returns by status, and the
approval or rejection (with a reason) of a return while it is open or waiting, through the
claims app's services as CLM001's actions do. A rejected return goes to the operator."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pazar.backoffice import forms, labels
from pazar.backoffice.views.panel import PER_PAGE, _render, _url, seller_required
from pazar.claims import selectors as claims_selectors
from pazar.claims import services as claims
from pazar.claims import transitions
from pazar.claims.models import CancelledBy, ClaimStatus
from pazar.core.errors import ApplicationError

SELLER_ACTIONS = ("approve", "reject")


def _seller_actions(claim) -> list[str]:
    """What the seller may do with the claim now (as CLM001's `allowed_actions`)."""
    return [
        action
        for action in transitions.claim_allowed_actions(claim, operator=False)
        if action in SELLER_ACTIONS
    ]


def _who(event, seller_id) -> str:
    """The seller's own users by name; the marketplace's users are not named to sellers."""
    user = event.user
    if user is None:
        return _("System")
    membership = getattr(user, "seller_membership", None)
    if membership is not None and membership.seller_id == seller_id:
        return user.get_username()
    return _("Marketplace")


@require_GET
@seller_required
def claim_list(request):
    form = forms.ClaimFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    mine = claims_selectors.seller_claims(seller=request.seller)
    counts = {value: 0 for value in ClaimStatus.values}
    for value in mine.order_by().values_list("status", flat=True):
        counts[value] += 1
    shown = (mine.filter(status=status) if status else mine).select_related("order")
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(claim, _seller_actions(claim)) for claim in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": counts,
        "active_status": status,
        "section": "claims",
    }
    return _render(request, "claims.html", context)


@require_GET
@seller_required
def claim_detail(request, claim_id):
    """One of the seller's claims: what is claimed and why, the refund, whether the units came
    back, its history (the marketplace's users unnamed) and the seller's decision form."""
    claim = (
        claims_selectors.seller_claims(seller=request.seller)
        .select_related("order")
        .filter(uuid=claim_id)
        .first()
    )
    if claim is None:
        raise Http404
    context = {
        "claim": claim,
        "actions": _seller_actions(claim),
        "history": [(event, _who(event, request.seller.pk)) for event in claim.history.all()],
        "section": "claims",
    }
    return _render(request, "claim.html", context)


@require_POST
@seller_required
def claim_action(request, claim_id, action):
    if action not in SELLER_ACTIONS:
        raise Http404
    claim = claims_selectors.seller_claims(seller=request.seller).filter(uuid=claim_id).first()
    if claim is None:
        raise Http404
    form = forms.ClaimDecisionForm(request.POST, reason_required=action == "reject")
    back = (
        _url("panel-claim", claim_id=claim.uuid)
        if request.POST.get("back") == "claim"
        else _url("panel-claims")
    )
    if not form.is_valid():
        messages.error(request, _("Give a reason to reject a return."))
        return redirect(back)
    act_on = claims.claim_approve if action == "approve" else claims.claim_reject
    try:
        act_on(
            claim=claim,
            user=request.seller_user,
            by=CancelledBy.SELLER,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        messages.error(
            request,
            _("Not done: %(reason)s") % {"reason": labels.claim_refusal(exc.code, exc.detail)},
        )
    else:
        done = {
            ("refund", "approve"): _("The return is approved."),
            ("refund", "reject"): _(
                "The return is rejected; the marketplace's operator decides now."
            ),
            ("cancel", "approve"): _("The cancellation is approved: the units are cancelled."),
            ("cancel", "reject"): _("The cancellation is rejected."),
        }
        messages.success(request, done[(claim.type, action)])
    return redirect(back)
