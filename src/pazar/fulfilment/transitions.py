"""A package's state machine (orders.md §6): the one table every package action consults.

`MOVES` lists the statuses a package may move to from each status; `ACTIONS` the statuses each
action may be taken from, and the status it moves the package to (None: the status stays).
`ITEM_STATUS` is the Omnitron order item status a package's items take with each status.
"""

from pazar.fulfilment.models import PackageStatus as P
from pazar.orders.models import OrderItemStatus as I

MOVES: dict[int, frozenset[int]] = {
    P.PREPARING: frozenset({P.READY_TO_SHIP, P.SHIPPED, P.CANCELLED}),
    P.READY_TO_SHIP: frozenset({P.SHIPPED, P.CANCELLED}),
    P.SHIPPED: frozenset({P.DELIVERED, P.DELIVERY_FAILED}),
    P.DELIVERED: frozenset(),
    P.DELIVERY_FAILED: frozenset(),
    P.CANCELLED: frozenset(),
}

# action → (statuses it may be taken from, status it moves to or None)
ACTIONS: dict[str, tuple[frozenset[int], int | None]] = {
    "ready": (frozenset({P.PREPARING}), P.READY_TO_SHIP),
    "ship": (frozenset({P.PREPARING, P.READY_TO_SHIP}), P.SHIPPED),
    "invoice": (frozenset({P.PREPARING, P.READY_TO_SHIP, P.SHIPPED, P.DELIVERED}), None),
    "split": (frozenset({P.PREPARING, P.READY_TO_SHIP}), None),
    "reject-items": (frozenset({P.PREPARING, P.READY_TO_SHIP}), None),  # all gone: Cancelled
    "deliver": (frozenset({P.SHIPPED}), P.DELIVERED),
    "fail-delivery": (frozenset({P.SHIPPED}), P.DELIVERY_FAILED),
}
# What a seller may do (the Seller Center's actions); the others are the operator's.
SELLER_ACTIONS = ("ready", "ship", "invoice", "split", "reject-items")

# Package status → the order item status its (not cancelled) items take (2 ↔ 400/450).
ITEM_STATUS: dict[int, str] = {
    P.READY_TO_SHIP: I.PREPARING,
    P.SHIPPED: I.SHIPPED,
    P.DELIVERED: I.DELIVERED,
    P.DELIVERY_FAILED: I.ATTEMPTED_DELIVERY,
    P.CANCELLED: I.CANCELLED,
}

for _action, (_sources, _target) in ACTIONS.items():
    assert _target is None or all(_target in MOVES[s] for s in _sources), _action


def can_take(action: str, status: int) -> bool:
    return status in ACTIONS[action][0]


def allowed_actions(
    status: int, *, invoiced: bool, live_units: int, actions=SELLER_ACTIONS
) -> list[str]:
    """What can be done with a package now: the table, and what its contents allow (a package
    is invoiced once; a split needs two units, one for each package)."""
    allowed = [action for action in actions if can_take(action, status)]
    if invoiced:
        allowed = [action for action in allowed if action != "invoice"]
    if live_units < 2:
        allowed = [action for action in allowed if action != "split"]
    if live_units < 1:
        allowed = [action for action in allowed if action != "reject-items"]
    return allowed
