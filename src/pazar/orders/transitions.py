"""Which order item status codes may follow which: the one table the services consult.

Items move forward through approval, preparation, shipment and delivery; before shipment they
may wait for or complete a cancellation; a cancelled item stays cancelled.
"""

from pazar.orders.models import OrderItemStatus as S

_BEFORE_SHIPMENT = [S.WAITING, S.PAYMENT_WAITING, S.CONFIRMATION_WAITING, S.APPROVED, S.PREPARING]
_FORWARD = [*_BEFORE_SHIPMENT, S.SHIPPED, S.SHIPPED_AND_INFORMED, S.READY_FOR_PICKUP,
            S.ATTEMPTED_DELIVERY, S.REVIEW_STARTED, S.REVIEW_WAITING, S.DELIVERED]  # fmt: skip

ALLOWED: dict[str, set[str]] = {status: set() for status in S.values}
for position, status in enumerate(_FORWARD):
    ALLOWED[status] |= set(_FORWARD[position + 1 :])
for status in _BEFORE_SHIPMENT:
    ALLOWED[status] |= {S.CANCELLATION_WAITING, S.CANCELLED}
ALLOWED[S.CANCELLATION_WAITING] |= {S.CANCELLED, *_BEFORE_SHIPMENT}
# Delivery may be attempted again, and a review may send an item back to delivered.
ALLOWED[S.ATTEMPTED_DELIVERY] |= {S.SHIPPED, S.SHIPPED_AND_INFORMED}
ALLOWED[S.DELIVERED] |= {S.REVIEW_STARTED, S.REVIEW_WAITING}


def can_move(from_status: str, to_status: str) -> bool:
    return from_status == to_status or to_status in ALLOWED.get(from_status, set())
