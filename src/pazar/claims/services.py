"""Writes of the claims app: cancellation reasons, and claims with their state machine.

`order_cancel` is `POST /api/i1/orders/{id}/cancel/`: items not yet shipped are cancelled at
once (their claims open and complete in the same transaction), delivered items become return
claims (`refund`, open). Rows are locked in the order every writer uses: the items' packages by
primary key (fulfilment), then the order items by primary key (orders), then stocks
(inventory). Checks run after the locks, so of concurrent cancels of the same units exactly one
wins and the others see the item cancelled (a 409).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum

from pazar.claims import transitions
from pazar.claims.error_codes import ErrorCode
from pazar.claims.models import (
    CancellationReason,
    CancellationType,
    CancelledBy,
    Claim,
    ClaimEvent,
    ClaimStatus,
)
from pazar.core.errors import ApplicationError
from pazar.fulfilment.models import Package, PackageItem
from pazar.fulfilment.services import package_units_cancel
from pazar.orders.models import CancelStatus, Order, OrderItem, OrderItemStatus
from pazar.orders.services import order_item_split, order_items_bulk_update, order_items_cancel

CENT = Decimal("0.01")
_BEFORE_SHIPMENT = {
    OrderItemStatus.WAITING, OrderItemStatus.PAYMENT_WAITING,
    OrderItemStatus.CONFIRMATION_WAITING, OrderItemStatus.APPROVED, OrderItemStatus.PREPARING,
    OrderItemStatus.CANCELLATION_WAITING,
}  # fmt: skip
_DELIVERED = {OrderItemStatus.DELIVERED}

# --- cancellation reasons ------------------------------------------------------------------


@transaction.atomic
def cancellation_reason_create(**fields) -> CancellationReason:
    return CancellationReason.objects.create(**fields)


@transaction.atomic
def cancellation_reason_update(*, reason: CancellationReason, data: dict) -> CancellationReason:
    reason = CancellationReason.objects.select_for_update().get(pk=reason.pk)
    for name, value in data.items():
        setattr(reason, name, value)
    reason.save()
    return reason


@transaction.atomic
def cancellation_reason_delete(*, reason: CancellationReason) -> None:
    """A reason some claim gives is kept (400 `cancellation_reason_in_use`): deactivate it."""
    if Claim.objects.filter(reason=reason).exists():
        raise ApplicationError(
            "Claims give this reason; set is_active to false instead.",
            code=ErrorCode.CANCELLATION_REASON_IN_USE,
        )
    CancellationReason.objects.filter(pk=reason.pk).delete()


# --- claims ---------------------------------------------------------------------------------


@dataclass
class ClaimLine:
    """What a caller asks: `quantity` units (None: all that are left) of `order_item`."""

    order_item: OrderItem
    reason: CancellationReason | None
    quantity: int | None = None
    iban: str = ""
    holder_name: str = ""
    description: str = ""


def _fail(message: str, code: str, status_code: int = 400) -> ApplicationError:
    return ApplicationError(message, code=code, status_code=status_code)


def _lock(order: Order, lines: list[ClaimLine]) -> dict[int, OrderItem]:
    """Lock the lines' packages, then the order's items, in primary-key order."""
    item_ids = [line.order_item.pk for line in lines]
    package_ids = sorted(
        set(PackageItem.objects.filter(order_item__in=item_ids).values_list("package", flat=True))
    )
    if package_ids:
        list(Package.objects.select_for_update().filter(pk__in=package_ids).order_by("pk"))
    locked = OrderItem.objects.select_for_update().filter(order=order, pk__in=item_ids)
    return {item.pk: item for item in locked.order_by("pk")}


def _claimed(item: OrderItem, claim_type: str) -> int:
    """Units claimed from the line (cancelled off it, or under a return not rejected)."""
    return (
        Claim.objects.filter(source_item=item, type=claim_type)
        .exclude(status=ClaimStatus.REJECTED)
        .aggregate(units=Sum("quantity"))["units"]
        or 0
    )


def _checked(order: Order, lines: list[ClaimLine]) -> tuple[str, list[tuple[ClaimLine, int]]]:
    """The claim type of the call and each line's units; any problem is a 4xx, nothing written."""
    if not lines:
        raise _fail("Name at least one item to cancel.", ErrorCode.CLAIM_NO_ITEMS)
    repeated = [pk for pk, n in Counter(line.order_item.pk for line in lines).items() if n > 1]
    if repeated:
        raise _fail(f"Order item {repeated[0]} is named twice.", ErrorCode.CLAIM_ITEM_REPEATED)
    locked = _lock(order, lines)
    types, checked = set(), []
    for line in lines:
        item = locked.get(line.order_item.pk)
        if item is None:
            raise _fail(
                f"Order {order.number} has no item {line.order_item.pk}.",
                ErrorCode.CLAIM_ITEM_UNKNOWN,
            )
        line.order_item = item
        if item.status == OrderItemStatus.CANCELLED:
            raise _fail(
                f"Order item {item.pk} is cancelled already.",
                ErrorCode.CLAIM_ITEM_CANCELLED,
                status_code=409,
            )
        if item.status in _BEFORE_SHIPMENT:
            claim_type, left = CancellationType.CANCEL, item.quantity
            had = left + _claimed(item, CancellationType.CANCEL)
        elif item.status in _DELIVERED:
            claim_type, had = CancellationType.REFUND, item.quantity
            left = had - _claimed(item, CancellationType.REFUND)
        else:
            raise _fail(
                f"Order item {item.pk} is in status {item.status}: shipped items can be returned "
                "once delivered, and no longer cancelled.",
                ErrorCode.CLAIM_ITEM_NOT_RETURNABLE,
            )
        types.add(claim_type)
        quantity = line.quantity if line.quantity is not None else left
        if quantity > left and quantity <= had:
            raise _fail(
                f"Order item {item.pk} has {left} units left to claim, not {quantity}: the "
                "others are claimed already.",
                ErrorCode.CLAIM_ITEM_UNITS_CLAIMED,
                status_code=409,
            )
        if not 1 <= quantity <= left:
            raise _fail(
                f"Order item {item.pk} has {left} units left to claim, not {quantity}.",
                ErrorCode.CLAIM_ITEM_QUANTITY,
            )
        if line.reason is None:
            raise _fail(
                f"Give a reason for order item {item.pk}.", ErrorCode.CANCELLATION_REASON_MISSING
            )
        if line.reason.cancellation_type != claim_type or not line.reason.is_active:
            raise _fail(
                f"Reason {line.reason.pk} is not an active {claim_type} reason.",
                ErrorCode.CANCELLATION_REASON_TYPE,
            )
        checked.append((line, quantity))
    if len(types) > 1:
        raise _fail(
            "One call either cancels items not yet shipped or returns delivered items, not both.",
            ErrorCode.CLAIM_MIXED_TYPES,
        )
    return types.pop(), checked


def _amounts(
    order: Order, checked: list[tuple[ClaimLine, int]], *, is_cargo_refund: bool,
    forced_refund_amount: Decimal | None,
) -> list[Decimal]:  # fmt: skip
    """Each claim's refund: the units' price less their share of the line's discount, plus the
    order's shipping (on the first claim) when the cargo is refunded; or the forced amount,
    shared in proportion (the rounding remainder on the last claim)."""
    amounts = []
    for line, quantity in checked:
        item = line.order_item
        unit = item.price - item.discount_amount / item.quantity
        amounts.append((unit * quantity).quantize(CENT, ROUND_HALF_UP))
    if is_cargo_refund:
        amounts[0] += order.shipping_amount
    if forced_refund_amount is None:
        return amounts
    total = sum(amounts)
    shared = [
        (forced_refund_amount * amount / total).quantize(CENT, ROUND_HALF_UP) if total else CENT * 0
        for amount in amounts
    ]
    shared[-1] = forced_refund_amount - sum(shared[:-1])
    return shared


def _record(claim: Claim, from_status: str, *, user, by: int, reason: str = "") -> None:
    ClaimEvent.objects.create(
        claim=claim, from_status=from_status, to_status=claim.status, user=user, by=by,
        reason=reason[:255],
    )  # fmt: skip


def _cancelled_items(order: Order, checked: list[tuple[ClaimLine, int]], *, user) -> list:
    """Cancel the units (packages through fulfilment, the operator's own items through orders);
    the order items that now hold exactly the cancelled units, in line order."""
    package_items = {
        pi.order_item_id: pi
        for pi in PackageItem.objects.filter(
            order_item__in=[line.order_item.pk for line, _ in checked]
        ).select_related("package")
    }
    result: dict[int, OrderItem] = {}
    by_package: dict[int, list[tuple[ClaimLine, int]]] = {}
    for line, quantity in checked:
        package_item = package_items.get(line.order_item.pk)
        if package_item is not None:
            by_package.setdefault(package_item.package_id, []).append((line, quantity))
    for package_id in sorted(by_package):
        rows = by_package[package_id]
        package = package_items[rows[0][0].order_item.pk].package
        reasons = sorted({line.reason.subject for line, _ in rows})
        _, cancelled = package_units_cancel(
            package=package,
            items=[
                {"item": package_items[line.order_item.pk].number, "quantity": quantity}
                for line, quantity in rows
            ],
            reason=", ".join(reasons),
            user=user,
        )
        for (line, _), package_item in zip(rows, cancelled, strict=True):
            result[line.order_item.pk] = package_item.order_item
    own = [(line, quantity) for line, quantity in checked if line.order_item.pk not in result]
    for line, quantity in own:
        item = line.order_item
        if quantity < item.quantity:
            item = order_item_split(order_item=item, quantity=quantity, user=user)
        result[line.order_item.pk] = item
    if own:
        order_items_cancel(
            items=[result[line.order_item.pk] for line, _ in own], user=user,
            reason=", ".join(sorted({line.reason.subject for line, _ in own})),
        )  # fmt: skip
    return [result[line.order_item.pk] for line, _ in checked]


@transaction.atomic
def order_cancel(
    *, order: Order, lines: list[ClaimLine], user=None, cancelled_by: int = CancelledBy.OPERATOR,
    is_cargo_refund: bool = False, forced_refund_amount: Decimal | None = None,
    refund_invoice_number: str = "",
) -> list[Claim]:  # fmt: skip
    """Cancel items not yet shipped (done at once: units back to stock, claims completed) or
    open returns of delivered items; one claim per line."""
    claim_type, checked = _checked(order, lines)
    amounts = _amounts(
        order, checked, is_cargo_refund=is_cargo_refund, forced_refund_amount=forced_refund_amount
    )
    if claim_type == CancellationType.CANCEL:
        holders = _cancelled_items(order, checked, user=user)
    else:
        holders = [line.order_item for line, _ in checked]
    sellers = dict(
        PackageItem.objects.filter(
            order_item__in=[line.order_item.pk for line, _ in checked]
        ).values_list("order_item", "package__seller")
    )
    claims = []
    for (line, quantity), holder, amount in zip(checked, holders, amounts, strict=True):
        claim = Claim.objects.create(
            order=order, order_item=holder, source_item=line.order_item,
            seller_id=sellers.get(line.order_item.pk), type=claim_type, status=ClaimStatus.OPEN,
            cancelled_by=cancelled_by, reason=line.reason, description=line.description,
            quantity=quantity, refund_amount=amount, is_cargo_refund=is_cargo_refund,
            forced_refund_amount=forced_refund_amount,
            refund_invoice_number=refund_invoice_number, iban=line.iban,
            holder_name=line.holder_name, created_by=user,
        )  # fmt: skip
        _record(claim, "", user=user, by=cancelled_by, reason=line.reason.subject)
        if claim_type == CancellationType.CANCEL:
            claim.status = ClaimStatus.COMPLETED
            claim.save(update_fields=["status", "updated_at"])
            _record(claim, ClaimStatus.OPEN, user=user, by=cancelled_by, reason="cancelled")
        claims.append(claim)
    cancel_status = (
        CancelStatus.COMPLETED if claim_type == CancellationType.CANCEL else CancelStatus.WAITING
    )
    order_items_bulk_update(
        rows=[{"order_item": holder, "cancel_status": cancel_status} for holder in holders],
        user=user,
    )
    return claims


def _act(claim: Claim, action: str, *, user, by: int, reason: str = "") -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    to_status = transitions.target(claim.type, action, claim.status)
    operator_only = claim.status in transitions.OPERATOR_ONLY.get(action, frozenset())
    if to_status is None or (operator_only and by != CancelledBy.OPERATOR):
        raise _fail(
            f"A {claim.type} claim in status {claim.status} cannot take the action {action!r}.",
            ErrorCode.CLAIM_STATUS_TRANSITION,
            status_code=409,
        )
    from_status = claim.status
    claim.status = to_status
    fields = ["status", "updated_at"]
    if action == "reject" and by == CancelledBy.SELLER:
        claim.escalated = True
        fields.append("escalated")
    claim.save(update_fields=fields)
    _record(claim, from_status, user=user, by=by, reason=reason or action)
    return claim


@transaction.atomic
def claim_wait(*, claim: Claim, user=None, by: int = CancelledBy.OPERATOR) -> Claim:
    """A return is awaiting the seller's decision (open → waiting)."""
    return _act(claim, "wait", user=user, by=by)


@transaction.atomic
def claim_approve(
    *, claim: Claim, user=None, by: int = CancelledBy.OPERATOR, reason: str = ""
) -> Claim:
    """Accept a return (open or waiting → approved); after the seller rejected it, only the
    operator may (rejected → approved)."""
    return _act(claim, "approve", user=user, by=by, reason=reason)


@transaction.atomic
def claim_reject(*, claim: Claim, reason: str, user=None, by: int = CancelledBy.SELLER) -> Claim:
    """Refuse a return (open or waiting → rejected); a seller's refusal goes to the operator."""
    return _act(claim, "reject", user=user, by=by, reason=reason)


@transaction.atomic
def claim_complete(*, claim: Claim, user=None, by: int = CancelledBy.OPERATOR) -> Claim:
    """The refund is done (approved → completed); the item's cancel_status becomes completed."""
    claim = _act(claim, "complete", user=user, by=by, reason="refunded")
    order_items_bulk_update(
        rows=[{"order_item": claim.order_item, "cancel_status": CancelStatus.COMPLETED}],
        user=user,
    )
    return claim
