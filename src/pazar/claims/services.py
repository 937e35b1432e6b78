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
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from pazar.accounts.models import Seller
from pazar.callbacks.services import callbacks_publish
from pazar.claims import transitions
from pazar.claims.error_codes import ErrorCode
from pazar.claims.models import (
    CancellationReason,
    CancellationType,
    CancelledBy,
    Claim,
    ClaimChange,
    ClaimChangeKind,
    ClaimCount,
    ClaimDateCount,
    ClaimEvent,
    ClaimStatus,
)
from pazar.claims.selectors import DATE_FIELDS
from pazar.claims.spans import SPANS, start_of
from pazar.core.dates import utc_text
from pazar.core.errors import ApplicationError
from pazar.core.prepared import PreparedQuery
from pazar.core.selectors import dynamic_setting_value
from pazar.core.sql import bulk_insert, counts_add_statement, execute_together, insert_later
from pazar.core.transactions import atomic_sparing_savepoints
from pazar.fulfilment import transitions as package_transitions
from pazar.fulfilment.error_codes import ErrorCode as PackageErrorCode
from pazar.fulfilment.models import Package, PackageItem, PackageStatus
from pazar.fulfilment.services import (
    package_items_choose,
    package_items_read,
    package_units_cancel,
    packages_lock,
)
from pazar.fulfilment.services.changes import changes_lock
from pazar.orders.models import CancelStatus, Order, OrderItem, OrderItemStatus
from pazar.orders.services import (
    order_item_split,
    order_item_units_return,
    order_item_update,
    order_items_bulk_update,
    order_items_cancel,
)

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


def _lock(order: Order, lines: list[ClaimLine]) -> tuple[dict[int, OrderItem], list[Package]]:
    """Lock the lines' packages, then the order's items, in primary-key order; the items by
    key, and the packages (with their orders and sellers)."""
    item_ids = [line.order_item.pk for line in lines]
    packages = packages_lock(order_item_ids=item_ids, order=order)
    return {item.pk: item for item in _ITEMS_LOCK.all(order.pk, item_ids)}, packages


# the order items' lock of every claim written (SQL compiled once)
_ITEMS_LOCK = PreparedQuery(
    lambda order_id, item_ids: (
        OrderItem.objects.select_for_update()
        .filter(order_id=order_id, pk__in=item_ids)
        .order_by("pk")
    ),
    int,
    list,
)


PENDING = (ClaimStatus.OPEN, ClaimStatus.WAITING, ClaimStatus.APPROVED)


def _claimed(items: list[OrderItem]) -> dict[tuple[int, str], tuple[int, int]]:
    """`(pending, done)` units claimed from each line, by `(line, claim type)`, in one query.

    Cancellations: units of requests awaiting a decision are pending (still on the line), units
    cancelled are done (split off it). Returns: every return not finally refused is pending
    (a seller's refusal is escalated, and the operator may still approve it)."""
    result = {}
    if not items:
        return result
    for item, cancel_pending, cancel_done, refund_pending in _CLAIMED.all([i.pk for i in items]):
        result[item, CancellationType.CANCEL] = (cancel_pending or 0, cancel_done or 0)
        result[item, CancellationType.REFUND] = (refund_pending or 0, 0)
    return result


def _claimed_units(item_ids) -> QuerySet:
    cancel, refund = Q(type=CancellationType.CANCEL), Q(type=CancellationType.REFUND)
    return (
        Claim.objects.filter(source_item__in=item_ids)
        .values("source_item")
        .annotate(
            cancel_pending=Sum("quantity", filter=cancel & Q(status__in=PENDING)),
            cancel_done=Sum("quantity", filter=cancel & Q(status=ClaimStatus.COMPLETED)),
            refund_pending=Sum(
                "quantity", filter=refund & ~Q(status=ClaimStatus.REJECTED, escalated=False)
            ),
        )
        .order_by()
        .values_list("source_item", "cancel_pending", "cancel_done", "refund_pending")
    )


_CLAIMED = PreparedQuery(_claimed_units, list)  # SQL compiled once


def _checked(
    order: Order, lines: list[ClaimLine], *, claim_type: str | None = None,
    free_reason: bool = False,
) -> tuple[str, list[tuple[ClaimLine, int]], list[Package]]:  # fmt: skip
    """The claim type of the call and each line's units (the lines now hold their locked order
    items), and the lines' packages, locked; any problem is a 4xx, nothing written.
    `claim_type`: what the caller asks for (a request names it); `free_reason`: a seller's
    rejection may give its reason as text only."""
    if not lines:
        raise _fail("Name at least one item to cancel.", ErrorCode.CLAIM_NO_ITEMS)
    repeated = [pk for pk, n in Counter(line.order_item.pk for line in lines).items() if n > 1]
    if repeated:
        raise _fail(f"Order item {repeated[0]} is named twice.", ErrorCode.CLAIM_ITEM_REPEATED)
    locked, packages = _lock(order, lines)
    claimed = _claimed(list(locked.values()))
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
            line_type = CancellationType.CANCEL
            pending, done = claimed.get((item.pk, line_type), (0, 0))
            left, had = item.quantity - pending, item.quantity + done
        elif item.status in _DELIVERED:
            line_type, had = CancellationType.REFUND, item.quantity
            left = had - claimed.get((item.pk, line_type), (0, 0))[0]
        else:
            line_type = None
        if line_type is None or (claim_type and line_type != claim_type):
            if claim_type == CancellationType.CANCEL or (
                claim_type is None and item.status in _DELIVERED
            ):
                raise _fail(
                    f"Order item {item.pk} is in status {item.status}: only items not yet "
                    "shipped can be cancelled; a delivered item can be returned.",
                    ErrorCode.CLAIM_ITEM_NOT_CANCELLABLE,
                )
            raise _fail(
                f"Order item {item.pk} is in status {item.status}: an item can be returned once "
                "delivered; before shipment it is cancelled.",
                ErrorCode.CLAIM_ITEM_NOT_RETURNABLE,
            )
        types.add(line_type)
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
        if line.reason is None and free_reason and line.description:
            checked.append((line, quantity))
            continue
        if line.reason is None:
            raise _fail(
                f"Give a reason for order item {item.pk}.", ErrorCode.CANCELLATION_REASON_MISSING
            )
        if line.reason.cancellation_type != line_type or not line.reason.is_active:
            raise _fail(
                f"Reason {line.reason.pk} is not an active {line_type} reason.",
                ErrorCode.CANCELLATION_REASON_TYPE,
            )
        checked.append((line, quantity))
    if len(types) > 1:
        raise _fail(
            "One call either cancels items not yet shipped or returns delivered items, not both.",
            ErrorCode.CLAIM_MIXED_TYPES,
        )
    return types.pop(), checked, packages


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


def _why(line: ClaimLine) -> str:
    return line.reason.subject if line.reason is not None else line.description


def _record(claim: Claim, from_status: str, *, user, by: int, reason: str = "") -> None:
    ClaimEvent.objects.create(
        claim=claim, from_status=from_status, to_status=claim.status, user=user, by=by,
        reason=reason[:255],
    )  # fmt: skip


# --- the seller's change feed and events ----------------------------------------------------


def claim_event_fields(claim: Claim, package_item: str | None) -> dict:
    """What a claim's callback event tells (`{"claim": {…}}`)."""
    return {
        "claim": {
            "id": str(claim.uuid),
            "type": claim.type,
            "status": claim.status,
            "cancelled_by": claim.cancelled_by,
            "quantity": claim.quantity,
            "refund_amount": str(claim.refund_amount),
            "package_item": package_item,
            "order_number": claim.order.number,
            "updated_at": utc_text(claim.updated_at),
        }
    }


class Deltas:
    """What a write moves: `counts` by `(seller, type, cancelled_by, status)` (`ClaimCount`),
    `dated` by `(seller, field, span, start, type, cancelled_by, status)` (`ClaimDateCount`)."""

    def __init__(self):
        self.counts, self.dated = Counter(), Counter()

    def add(self, claim: Claim, *, status: str, updated_at, sign: int) -> None:
        """The claim counted (`sign` 1) or no longer counted (-1) in `status`, as last updated
        at `updated_at`."""
        self.counts[claim.seller_id, claim.type, claim.cancelled_by, status] += sign
        for field, moment in zip(DATE_FIELDS, (claim.created_at, updated_at), strict=True):
            for span in SPANS:
                key = (claim.seller_id, field, span, start_of(span, moment))
                self.dated[*key, claim.type, claim.cancelled_by, status] += sign

    def write(self) -> None:
        """Add the deltas to the sellers' counts (the caller holds the sellers' change locks:
        no other writer of these rows runs meanwhile)."""
        execute_together(self.statements())

    def statements(self) -> list:
        """`write`'s statements, one a table, to send with another write (`bulk_insert(before=
        …)`: one round trip on PostgreSQL)."""
        combo = ["type", "cancelled_by", "status"]
        return [
            counts_add_statement(
                ClaimCount, keys=["seller", *combo], count="count", deltas=self.counts
            ),
            counts_add_statement(
                ClaimDateCount, keys=["seller", "field", "span", "start", *combo],
                count="count", deltas=self.dated,
            ),
        ]  # fmt: skip


@transaction.atomic
def claim_counts_rebuild(*, seller_ids) -> None:
    """Count the sellers' claims again (after claims written in bulk outside the services, e.g.
    by a benchmark's loader)."""
    changes_lock(seller_ids=seller_ids)
    claims = Claim.objects.filter(seller_id__in=seller_ids).order_by()
    combo = ("seller", "type", "cancelled_by", "status")
    ClaimCount.objects.filter(seller_id__in=seller_ids).delete()
    ClaimCount.objects.bulk_create(
        ClaimCount(
            seller_id=row["seller"], type=row["type"], cancelled_by=row["cancelled_by"],
            status=row["status"], count=row["n"],
        )
        for row in claims.values(*combo).annotate(n=Count("pk"))
    )  # fmt: skip
    ClaimDateCount.objects.filter(seller_id__in=seller_ids).delete()
    for field in DATE_FIELDS:
        for span in SPANS:
            rows = claims.annotate(start=Trunc(field, span, tzinfo=UTC)).values(*combo, "start")
            ClaimDateCount.objects.bulk_create(
                (
                    ClaimDateCount(
                        seller_id=row["seller"], field=field, span=span, start=row["start"],
                        type=row["type"], cancelled_by=row["cancelled_by"],
                        status=row["status"], count=row["n"],
                    )
                    for row in rows.annotate(n=Count("pk"))
                ),
                batch_size=5000,
            )  # fmt: skip


@dataclass
class Known:
    """What the cancel learnt of its lines' packages, so its later steps need not read it again:
    each line's seller (by the line's order item) and each cancelled item's package item number
    (by the order item that holds the cancelled units)."""

    sellers: dict[int, Seller]
    numbers: dict[int, str]


def _changed(
    claims: list[Claim], kind: str, known: Known | None = None, *, callbacks: list = (),
    before: list = (),
) -> None:  # fmt: skip
    """Write each seller's claim change (the cursor feed), its claim counts and its signed
    event; the sellers' change locks (shared with packages) are taken in one order, last.
    A claim created counts in its status and its dates; a claim `_act` changed (`status_was`,
    `updated_was`) moves its counts from what it was to what it is. The counts, the change
    rows and the callback events go in one round trip on PostgreSQL; `callbacks`: other
    events of this transaction (the packages' changes) published ahead of the claims' by the
    same insert; `before`: other writes of this transaction sent with them, first."""
    mine = [claim for claim in claims if claim.seller_id]
    if not mine:
        if callbacks or before:
            callbacks_publish(events=list(callbacks), before=before)
        return
    changes_lock(seller_ids=[claim.seller_id for claim in mine])
    deltas = Deltas()
    for claim in mine:
        if kind != ClaimChangeKind.CREATED:  # `_act` noted what the claim counted as before
            deltas.add(claim, status=claim.status_was, updated_at=claim.updated_was, sign=-1)
        deltas.add(claim, status=claim.status, updated_at=claim.updated_at, sign=1)
    if known is not None:
        sellers = {seller.pk: seller for seller in known.sellers.values()}
        numbers = known.numbers
    else:
        sellers = Seller.objects.in_bulk({claim.seller_id for claim in mine})
        numbers = dict(
            PackageItem.objects.filter(order_item__in=[c.order_item_id for c in mine]).values_list(
                "order_item", "number"
            )
        )
    change_rows = insert_later(
        ClaimChange,
        [
            ClaimChange(seller_id=claim.seller_id, claim=claim, kind=kind, status=claim.status)
            for claim in mine
        ],
    )
    callbacks_publish(
        before=[*before, *deltas.statements(), *change_rows],
        events=[
            *callbacks,
            *(
                (
                    sellers[claim.seller_id],
                    f"claim.{kind}",
                    claim_event_fields(claim, numbers.get(claim.order_item_id)),
                )
                for claim in mine
            ),
        ],
    )


@transaction.atomic
def claims_delete(*, claims: list[Claim]) -> int:
    """Delete claims with their history and changes (no API does; a purge of data written by
    mistake), their sellers' counts kept; how many were deleted."""
    pks = sorted(claim.pk for claim in claims)
    locked = list(Claim.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    changes_lock(seller_ids={claim.seller_id for claim in locked if claim.seller_id})
    deltas = Deltas()
    for claim in locked:
        if claim.seller_id:
            deltas.add(claim, status=claim.status, updated_at=claim.updated_at, sign=-1)
    deltas.write()
    Claim.objects.filter(pk__in=[claim.pk for claim in locked]).delete()
    return len(locked)


# --- effects on order items, packages and stock -----------------------------------------------


def _cancelled_items(
    order: Order, checked: list[tuple[ClaimLine, int]], packages: list[Package], *, user,
    item_fields: dict | None = None, callbacks: list | None = None,
    statements: list | None = None,
) -> tuple[list[OrderItem], Known]:  # fmt: skip
    """Cancel the units (packages through fulfilment, the operator's own items through orders);
    the order items that now hold exactly the cancelled units, in line order, and what was
    learnt of the lines' sellers and package items. `packages`: the lines' packages, locked
    (`_lock`), and the lines hold their order items locked after them; `item_fields`: other
    changes of the cancelled order items, written with the cancel; `callbacks`: the packages'
    callback events are added to it for the caller to publish (else published here), and
    `statements` their changes' writes for the caller to send (else written here)."""
    lines = {line.order_item.pk: line.order_item for line, _ in checked}
    package_items = {}
    for package_item in package_items_read(packages=packages):
        # the lines' order items are the locked rows: the cancel changes them in place
        package_item.order_item = lines.get(package_item.order_item_id, package_item.order_item)
        package_items[package_item.order_item_id] = package_item
    known = Known(
        sellers={pk: package_items[pk].package.seller for pk in lines if pk in package_items},
        numbers={},
    )
    result: dict[int, OrderItem] = {}
    by_package: dict[int, list[tuple[ClaimLine, int]]] = {}
    for line, quantity in checked:
        package_item = package_items.get(line.order_item.pk)
        if package_item is not None:
            by_package.setdefault(package_item.package_id, []).append((line, quantity))
    for package_id in sorted(by_package):
        rows = by_package[package_id]
        package = package_items[rows[0][0].order_item.pk].package
        reasons = sorted({_why(line) for line, _ in rows})
        _, cancelled = package_units_cancel(
            package=package,
            items=[
                {"item": package_items[line.order_item.pk].number, "quantity": quantity}
                for line, quantity in rows
            ],
            reason=", ".join(reasons),
            user=user,
            item_fields=item_fields,
            package_items=[item for item in package_items.values() if item.package is package],
            callbacks=callbacks,
            statements=statements,
        )
        for (line, _), package_item in zip(rows, cancelled, strict=True):
            result[line.order_item.pk] = package_item.order_item
            known.numbers[package_item.order_item.pk] = package_item.number
    own = [(line, quantity) for line, quantity in checked if line.order_item.pk not in result]
    for line, quantity in own:
        item = line.order_item
        if quantity < item.quantity:
            item = order_item_split(order_item=item, quantity=quantity, user=user)
        result[line.order_item.pk] = item
    if own:
        order_items_cancel(
            items=[result[line.order_item.pk] for line, _ in own], user=user,
            reason=", ".join(sorted({_why(line) for line, _ in own})), fields=item_fields,
            locked=True,
        )  # fmt: skip
    return [result[line.order_item.pk] for line, _ in checked], known


def _sellers(items: list[OrderItem]) -> dict[int, object]:
    return dict(
        PackageItem.objects.filter(order_item__in=[item.pk for item in items]).values_list(
            "order_item", "package__seller"
        )
    )


def _create(
    order: Order, checked: list[tuple[ClaimLine, int]], holders: list[OrderItem], *,
    claim_type: str, amounts: list[Decimal], user, cancelled_by: int, completed: bool = False,
    known: Known | None = None, before: list = (), statements: list | None = None, **fields,
) -> list[Claim]:  # fmt: skip
    """The lines' claims, opened (and with `completed`, completed at once: a cancellation
    before shipment) by one insert, their history by another. `before`: other writes of this
    transaction sent with the claims' insert, first; `statements`: the history's insert is
    added to it for the caller to send with a later write (the events' keys are not read
    back), else run here."""
    if known is not None:
        sellers = {pk: seller.pk for pk, seller in known.sellers.items()}
    else:
        sellers = _sellers([line.order_item for line, _ in checked])
    claims = bulk_insert(
        Claim,
        [
        Claim(
            order=order, order_item=holder, source_item=line.order_item,
            seller_id=sellers.get(line.order_item.pk), type=claim_type,
            status=ClaimStatus.COMPLETED if completed else ClaimStatus.OPEN,
            cancelled_by=cancelled_by, reason=line.reason, description=line.description,
            quantity=quantity, refund_amount=amount, iban=line.iban,
            holder_name=line.holder_name, created_by=user, **fields,
        )
        for (line, quantity), holder, amount in zip(checked, holders, amounts, strict=True)
        ],
        before=before,
    )  # fmt: skip
    events = [
        ClaimEvent(
            claim=claim, from_status="", to_status=ClaimStatus.OPEN, user=user, by=cancelled_by,
            reason=_why(line)[:255],
        )
        for claim, (line, _) in zip(claims, checked, strict=True)
    ]  # fmt: skip
    if completed:
        events += [
            ClaimEvent(
                claim=claim, from_status=ClaimStatus.OPEN, to_status=ClaimStatus.COMPLETED,
                user=user, by=cancelled_by, reason="cancelled",
            )
            for claim in claims
        ]  # fmt: skip
    if statements is None:
        bulk_insert(ClaimEvent, events)
    else:
        statements += insert_later(ClaimEvent, events)
    _with_history(claims, events)
    return claims


def _with_history(claims: list[Claim], events: list[ClaimEvent]) -> None:
    """Give each claim its history (`claim.history.all()`) from the events just written, in
    their order, as a `prefetch_related("history")` would: the answer reads nothing again."""
    by_claim: dict[int, list[ClaimEvent]] = {claim.pk: [] for claim in claims}
    for event in events:
        by_claim[event.claim_id].append(event)
    for claim in claims:
        history = claim.history.all()  # not run: its rows are set as a prefetch sets them
        history._result_cache, history._prefetch_done = by_claim[claim.pk], True
        claim._prefetched_objects_cache = {"history": history}


@atomic_sparing_savepoints
def order_cancel(
    *, order: Order, lines: list[ClaimLine], user=None, cancelled_by: int = CancelledBy.OPERATOR,
    is_cargo_refund: bool = False, forced_refund_amount: Decimal | None = None,
    refund_invoice_number: str = "", free_reason: bool = False,
) -> list[Claim]:  # fmt: skip
    """Cancel items not yet shipped (done at once: units back to stock, claims completed) or
    open returns of delivered items; one claim per line, with its history."""
    claim_type, checked, packages = _checked(order, lines, free_reason=free_reason)
    amounts = _amounts(
        order, checked, is_cargo_refund=is_cargo_refund, forced_refund_amount=forced_refund_amount
    )
    # The packages' change rows go with the claims' insert, the claims' history with their
    # changes and every callback event: two round trips on PostgreSQL after the change locks.
    known, callbacks, package_writes, claim_writes = None, [], [], []
    if claim_type == CancellationType.CANCEL:
        holders, known = _cancelled_items(
            order, checked, packages, user=user,
            item_fields={"cancel_status": CancelStatus.COMPLETED}, callbacks=callbacks,
            statements=package_writes,
        )  # fmt: skip
    else:
        holders = [line.order_item for line, _ in checked]
    claims = _create(
        order, checked, holders, claim_type=claim_type, amounts=amounts, user=user, known=known,
        cancelled_by=cancelled_by, completed=claim_type == CancellationType.CANCEL,
        is_cargo_refund=is_cargo_refund, forced_refund_amount=forced_refund_amount,
        refund_invoice_number=refund_invoice_number, before=package_writes,
        statements=claim_writes,
    )  # fmt: skip
    if claim_type != CancellationType.CANCEL:
        order_items_bulk_update(
            rows=[
                {"order_item": holder, "cancel_status": CancelStatus.WAITING} for holder in holders
            ],
            user=user,
        )
    _changed(claims, ClaimChangeKind.CREATED, known, callbacks=callbacks, before=claim_writes)
    return claims


@transaction.atomic
def package_items_reject(
    *, package: Package, items: list[dict], reason: str, user=None
) -> tuple[Package, list[Claim]]:
    """A seller refuses items (or units) of its package not yet shipped: a cancel claim by the
    seller (`cancelled_by` 2) per item, completed at once, with `reason` as its description;
    the units go back to stock through the package (fulfilment)."""
    locked = Package.objects.select_for_update().get(pk=package.pk)
    if not package_transitions.can_take("reject-items", locked.status):
        raise _fail(
            f"A package in status {locked.status} ({PackageStatus(locked.status).label}) "
            "cannot take the action 'reject-items'.",
            PackageErrorCode.PACKAGE_STATUS_TRANSITION,
            status_code=409,
        )
    chosen = package_items_choose(package=locked, items=items)
    if not chosen:
        raise _fail("Name at least one item.", PackageErrorCode.PACKAGE_ITEM_UNKNOWN)
    lines = [
        ClaimLine(order_item=item.order_item, reason=None, quantity=quantity, description=reason)
        for item, quantity in chosen
    ]
    claims = order_cancel(
        order=locked.order, lines=lines, user=user, cancelled_by=CancelledBy.SELLER,
        free_reason=True,
    )  # fmt: skip
    return Package.objects.get(pk=package.pk), claims


# --- cancellation requests ----------------------------------------------------------------


@atomic_sparing_savepoints
def cancellation_request_create(
    *, order_item: OrderItem, cancellation_type: str, reason: CancellationReason | None,
    quantity: int = 1, description: str = "", iban: str = "", holder_name: str = "",
    remote_id: str = "", user=None, cancelled_by: int = CancelledBy.CUSTOMER,
) -> Claim:  # fmt: skip
    """A request to cancel (before shipment) or return (once delivered) `quantity` units of an
    order item, awaiting a decision (status open). A cancellation request makes the line 50
    (cancellation waiting) until it is decided; either kind sets its `cancel_status` waiting."""
    order = Order.objects.get(pk=order_item.order_id)
    line = ClaimLine(
        order_item=order_item, reason=reason, quantity=quantity, iban=iban,
        holder_name=holder_name, description=description,
    )  # fmt: skip
    claim_type, checked, _ = _checked(order, [line], claim_type=cancellation_type)
    [amount] = _amounts(order, checked, is_cargo_refund=False, forced_refund_amount=None)
    item = line.order_item
    before = ""
    if claim_type == CancellationType.CANCEL:
        before = item.status
        if item.status == OrderItemStatus.CANCELLATION_WAITING:
            earlier = (
                Claim.objects.filter(source_item=item, status__in=PENDING)
                .exclude(item_status_before="")
                .values_list("item_status_before", flat=True)
                .first()
            )
            before = earlier or OrderItemStatus.APPROVED
    [claim] = _create(
        order, checked, [item], claim_type=claim_type, amounts=[amount], user=user,
        cancelled_by=cancelled_by, remote_id=remote_id, item_status_before=before,
    )  # fmt: skip
    data = {"cancel_status": CancelStatus.WAITING}
    if claim_type == CancellationType.CANCEL:
        data["status"] = OrderItemStatus.CANCELLATION_WAITING
    order_item_update(order_item=item, data=data, user=user, reason="cancellation requested")
    _changed([claim], ClaimChangeKind.CREATED)
    return claim


# --- decisions ------------------------------------------------------------------------------


def _act(claim: Claim, action: str, *, user, by: int, reason: str = "") -> Claim:
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("order", "seller")
        .get(pk=claim.pk)
    )
    if not transitions.can_take(claim, action, operator=by == CancelledBy.OPERATOR):
        raise _fail(
            f"A {claim.type} claim in status {claim.status} cannot take the action {action!r}.",
            ErrorCode.CLAIM_STATUS_TRANSITION,
            status_code=409,
        )
    from_status = claim.status
    # what the claim counted as before this service changed it (`_changed` moves its counts)
    claim.status_was, claim.updated_was = from_status, claim.updated_at
    claim.status = transitions.target(claim.type, action, claim.status)
    fields = ["status", "updated_at"]
    escalate = by == CancelledBy.SELLER and claim.type == CancellationType.REFUND
    if action == "reject" and claim.escalated != escalate:
        claim.escalated = escalate
        fields.append("escalated")
    claim.save(update_fields=fields)
    _record(claim, from_status, user=user, by=by, reason=reason or action)
    return claim


def _pending_cancels(item: OrderItem, claim: Claim) -> bool:
    return (
        Claim.objects.filter(source_item=item, type=CancellationType.CANCEL, status__in=PENDING)
        .exclude(pk=claim.pk)
        .exists()
    )


def _line_released(item: OrderItem, claim: Claim, *, user) -> None:
    """A decided cancellation request lets go of its line when no other request still waits on
    it: no cancellation pending, and back to the status it had if it is still 50."""
    item = OrderItem.objects.get(pk=item.pk)
    if item.status == OrderItemStatus.CANCELLED or _pending_cancels(item, claim):
        return
    data = {"cancel_status": ""}
    if item.status == OrderItemStatus.CANCELLATION_WAITING:
        data["status"] = claim.item_status_before or OrderItemStatus.APPROVED
    order_item_update(order_item=item, data=data, user=user, reason="cancellation request decided")


def _restock(claim: Claim) -> None:
    """The return's units back to stock, once."""
    if claim.restocked:
        return
    order_item_units_return(order_item=claim.order_item, quantity=claim.quantity)
    claim.restocked = True
    claim.save(update_fields=["restocked", "updated_at"])


def _approve_cancel(claim: Claim, *, user, by: int) -> Claim:
    """Cancel the requested units now (as the operator's cancel call does) and complete."""
    order = claim.order
    line = ClaimLine(order_item=claim.source_item, reason=claim.reason, quantity=claim.quantity)
    locked, packages = _lock(order, [line])
    item = locked.get(claim.source_item_id)
    if item is None or item.status not in _BEFORE_SHIPMENT:
        raise _fail(
            f"Order item {claim.source_item_id} can no longer be cancelled.",
            ErrorCode.CLAIM_ITEM_NOT_CANCELLABLE,
            status_code=409,
        )
    line.order_item = item
    [holder], _ = _cancelled_items(order, [(line, claim.quantity)], packages, user=user)
    claim.order_item = holder
    claim.status = ClaimStatus.COMPLETED
    claim.save(update_fields=["order_item", "status", "updated_at"])
    _record(claim, ClaimStatus.APPROVED, user=user, by=by, reason="cancelled")
    order_item_update(order_item=holder, data={"cancel_status": CancelStatus.COMPLETED}, user=user)
    if holder.pk != item.pk:
        _line_released(item, claim, user=user)
    return claim


@atomic_sparing_savepoints
def claim_wait(*, claim: Claim, user=None, by: int = CancelledBy.OPERATOR) -> Claim:
    """A return is awaiting the seller's decision (open → waiting)."""
    claim = _act(claim, "wait", user=user, by=by)
    _changed([claim], ClaimChangeKind.STATUS_CHANGED)
    return claim


@atomic_sparing_savepoints
def claim_approve(
    *, claim: Claim, user=None, by: int = CancelledBy.OPERATOR, reason: str = ""
) -> Claim:
    """Accept a claim. A return (open or waiting → approved; after the seller rejected it, only
    the operator may): the item's `cancel_status` becomes confirmed, and its units go back to
    stock now when `RETURN_RESTOCK_ON` is `approved`. A cancellation request: its units are
    cancelled at once (back to stock) and the claim completes."""
    claim = _act(claim, "approve", user=user, by=by, reason=reason)
    if claim.type == CancellationType.CANCEL:
        claim = _approve_cancel(claim, user=user, by=by)
    else:
        if claim.escalated:
            claim.escalated = False
            claim.save(update_fields=["escalated", "updated_at"])
        order_item_update(
            order_item=claim.order_item, data={"cancel_status": CancelStatus.CONFIRMED},
            user=user,
        )  # fmt: skip
        if dynamic_setting_value("RETURN_RESTOCK_ON") == "approved":
            _restock(claim)
    _changed([claim], ClaimChangeKind.STATUS_CHANGED)
    return claim


@atomic_sparing_savepoints
def claim_reject(*, claim: Claim, reason: str, user=None, by: int = CancelledBy.SELLER) -> Claim:
    """Refuse a claim (open or waiting → rejected). A seller's refusal of a return is escalated
    to the operator; the operator's refusal is final (also of an escalated one), and the item
    has no cancellation pending any more. A refused cancellation request gives the line back
    its status."""
    claim = _act(claim, "reject", user=user, by=by, reason=reason)
    was = claim.status_was
    if claim.type == CancellationType.CANCEL:
        _line_released(claim.source_item, claim, user=user)
    elif not claim.escalated:
        order_item_update(order_item=claim.order_item, data={"cancel_status": ""}, user=user)
    kind = (
        ClaimChangeKind.UPDATED if was == ClaimStatus.REJECTED else ClaimChangeKind.STATUS_CHANGED
    )
    _changed([claim], kind)
    return claim


@atomic_sparing_savepoints
def claim_receive(*, claim: Claim, user=None, by: int = CancelledBy.OPERATOR) -> Claim:
    """The approved return's units arrived back (once); they go back to stock now when
    `RETURN_RESTOCK_ON` is `received` (the default)."""
    claim = _act(claim, "receive", user=user, by=by, reason="received")
    claim.received_at = timezone.now()
    claim.save(update_fields=["received_at", "updated_at"])
    if dynamic_setting_value("RETURN_RESTOCK_ON") == "received":
        _restock(claim)
    _changed([claim], ClaimChangeKind.UPDATED)
    return claim


@atomic_sparing_savepoints
def claim_complete(*, claim: Claim, user=None, by: int = CancelledBy.OPERATOR) -> Claim:
    """The refund is done (approved → completed); the item's cancel_status becomes completed."""
    claim = _act(claim, "complete", user=user, by=by, reason="refunded")
    order_items_bulk_update(
        rows=[{"order_item": claim.order_item, "cancel_status": CancelStatus.COMPLETED}],
        user=user,
    )
    _changed([claim], ClaimChangeKind.STATUS_CHANGED)
    return claim
