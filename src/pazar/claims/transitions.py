"""A claim's state machine (orders.md §6): the one table every claim action consults.

Returns (`refund`): open → waiting → approved → completed; open or waiting → rejected. A
seller's rejection escalates the claim to the operator, who may still approve it, or reject it
again to close it (rejected → rejected). `receive` records that an approved return's units
arrived back (approved → approved, once).

Cancellations (`cancel`): the operator's cancel call and a seller's rejected items complete at
once (open → completed, by the service, no action); a channel's or customer's cancellation request waits for a decision:
`approve` cancels the units (open or waiting → approved, then completed in the same
transaction), `reject` refuses it (open or waiting → rejected).
"""

from pazar.claims.models import CancellationType as T
from pazar.claims.models import ClaimStatus as S

# action → (statuses it may be taken from, the status it moves to), per claim type
ACTIONS: dict[str, dict[str, tuple[frozenset[str], str]]] = {
    T.CANCEL: {
        "approve": (frozenset({S.OPEN, S.WAITING}), S.APPROVED),
        "reject": (frozenset({S.OPEN, S.WAITING}), S.REJECTED),
    },
    T.REFUND: {
        "wait": (frozenset({S.OPEN}), S.WAITING),
        "approve": (frozenset({S.OPEN, S.WAITING, S.REJECTED}), S.APPROVED),
        "reject": (frozenset({S.OPEN, S.WAITING, S.REJECTED}), S.REJECTED),
        "receive": (frozenset({S.APPROVED}), S.APPROVED),
        "complete": (frozenset({S.APPROVED}), S.COMPLETED),
    },
}
# Only the operator may decide on a return the seller rejected (it is escalated to them).
OPERATOR_ONLY: dict[str, frozenset[str]] = {
    "approve": frozenset({S.REJECTED}),
    "reject": frozenset({S.REJECTED}),
}


def target(claim_type: str, action: str, status: str) -> str | None:
    """The status `action` moves a claim of `claim_type` in `status` to, or None."""
    sources, to_status = ACTIONS[claim_type].get(action, (frozenset(), ""))
    return to_status if status in sources else None


def allowed_actions(claim_type: str, status: str) -> list[str]:
    return [action for action in ACTIONS[claim_type] if target(claim_type, action, status)]


def can_take(claim, action: str, *, operator: bool) -> bool:
    """Whether `claim` may take `action` now: the table, plus what the claim itself says (only
    an escalated rejection is decided again, and only by the operator; units arrive once;
    an operator's or seller's cancellation is complete already)."""
    if target(claim.type, action, claim.status) is None:
        return False
    if claim.status in OPERATOR_ONLY.get(action, frozenset()):
        return operator and claim.escalated
    if action == "receive":
        return claim.received_at is None
    return True


def claim_allowed_actions(claim, *, operator: bool) -> list[str]:
    return [action for action in ACTIONS[claim.type] if can_take(claim, action, operator=operator)]
