"""A claim's state machine (orders.md §6): the one table every claim action consults.

open → waiting → approved → completed; open or waiting → rejected, after which the claim is
escalated to the operator, who may still approve it. A cancellation before shipment completes
at once (open → completed).
"""

from pazar.claims.models import CancellationType as T
from pazar.claims.models import ClaimStatus as S

# action → (statuses it may be taken from, the status it moves to), per claim type
ACTIONS: dict[str, dict[str, tuple[frozenset[str], str]]] = {
    T.CANCEL: {
        "complete": (frozenset({S.OPEN, S.APPROVED}), S.COMPLETED),
    },
    T.REFUND: {
        "wait": (frozenset({S.OPEN}), S.WAITING),
        "approve": (frozenset({S.OPEN, S.WAITING, S.REJECTED}), S.APPROVED),
        "reject": (frozenset({S.OPEN, S.WAITING}), S.REJECTED),
        "complete": (frozenset({S.APPROVED}), S.COMPLETED),
    },
}
# Only the operator may approve a claim the seller rejected.
OPERATOR_ONLY: dict[str, frozenset[str]] = {"approve": frozenset({S.REJECTED})}


def target(claim_type: str, action: str, status: str) -> str | None:
    """The status `action` moves a claim of `claim_type` in `status` to, or None."""
    sources, to_status = ACTIONS[claim_type].get(action, (frozenset(), ""))
    return to_status if status in sources else None


def allowed_actions(claim_type: str, status: str) -> list[str]:
    return [action for action in ACTIONS[claim_type] if target(claim_type, action, status)]
