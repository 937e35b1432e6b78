"""The words the back office shows for the domains' codes, translated."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pazar.batches.models import BatchKind, BatchStatus
from pazar.catalog.models import ApprovalStatus
from pazar.claims.error_codes import ErrorCode as ClaimError
from pazar.claims.models import CancellationType, ClaimStatus
from pazar.fulfilment.error_codes import ErrorCode as FulfilmentError
from pazar.fulfilment.models import PackageStatus
from pazar.orders.models import OrderItemStatus

BATCH_STATUS = {
    BatchStatus.WAITING: _("Waiting"),
    BatchStatus.PROCESSING: _("Processing"),
    BatchStatus.COMPLETED: _("Completed"),
    BatchStatus.FAILED: _("Failed"),
}
BATCH_KIND = {
    BatchKind.PRODUCT_UPSERT: _("Product upsert"),
    BatchKind.PRODUCT_DELETE: _("Product delete"),
    BatchKind.PRICE_STOCK_UPSERT: _("Price and stock upsert"),
    BatchKind.PRICE_UPSERT: _("Price upsert"),
    BatchKind.STOCK_UPSERT: _("Stock upsert"),
}
# What a batch came to, for people: the API's `status` says only whether the engine finished a
# batch; a completed batch whose rows all failed is not a success to whoever sent it.
BATCH_STATE = {
    "waiting": _("Waiting"),
    "processing": _("Processing"),
    "completed": _("Completed"),
    "completed_with_errors": _("Completed with errors"),
    "all_failed": _("All rows failed"),
    "failed": _("Failed"),
}
# Two questions the pages keep apart: is the product live (sold, in the catalog), and how was
# its last proposal (new product or change) reviewed. A live product whose change was rejected
# is live, with its last change rejected.
LIVE = {
    "yes": _("Live"),
    "no": _("Not live"),
}
APPROVAL_STATUS = {
    ApprovalStatus.PENDING: _("Waiting for review"),
    ApprovalStatus.APPROVED: _("Accepted"),
    ApprovalStatus.REJECTED: _("Rejected"),
}


def batch_status(status: int) -> str:
    return str(BATCH_STATUS.get(status, status))


def batch_state(batch) -> str:
    """The key of `BATCH_STATE` a batch is in (its status, told apart by its failed rows)."""
    if batch.status == BatchStatus.COMPLETED:
        if batch.failed and not batch.succeeded:
            return "all_failed"
        return "completed_with_errors" if batch.failed else "completed"
    return {
        BatchStatus.WAITING: "waiting",
        BatchStatus.PROCESSING: "processing",
        BatchStatus.FAILED: "failed",
    }.get(batch.status, "failed")


def batch_state_label(state: str) -> str:
    return str(BATCH_STATE.get(state, state))


def batch_kind(kind: str) -> str:
    return str(BATCH_KIND.get(kind, kind))


def approval_status(status: str) -> str:
    return str(APPROVAL_STATUS.get(status, status))


# Orders, packages and claims. Omnitron's order item codes (orders.md §2) read as words; the
# code stays beside them on the pages, as integrations know the codes.
ORDER_ITEM_STATUS = {
    OrderItemStatus.CANCELLATION_WAITING: _("Cancellation waiting"),
    OrderItemStatus.CANCELLED: _("Cancelled"),
    OrderItemStatus.WAITING: _("Waiting"),
    OrderItemStatus.PAYMENT_WAITING: _("Payment waiting"),
    OrderItemStatus.CONFIRMATION_WAITING: _("Confirmation waiting"),
    OrderItemStatus.APPROVED: _("Approved"),
    OrderItemStatus.PREPARING: _("Preparing"),
    OrderItemStatus.SHIPPED: _("Shipped"),
    OrderItemStatus.SHIPPED_AND_INFORMED: _("Shipped and informed"),
    OrderItemStatus.READY_FOR_PICKUP: _("Ready for pickup"),
    OrderItemStatus.ATTEMPTED_DELIVERY: _("Attempted delivery"),
    OrderItemStatus.REVIEW_STARTED: _("Review started"),
    OrderItemStatus.REVIEW_WAITING: _("Review waiting"),
    OrderItemStatus.DELIVERED: _("Delivered"),
}
PACKAGE_STATUS = {status.value: status.label for status in PackageStatus}
PACKAGE_ACTION = {
    "ready": _("Ready to ship"),
    "ship": _("Ship"),
    "invoice": _("Invoice"),
    "split": _("Split"),
    "reject-items": _("Reject items"),
}
CLAIM_STATUS = {
    ClaimStatus.OPEN: _("Open"),
    ClaimStatus.WAITING: _("Waiting for the return"),
    ClaimStatus.APPROVED: _("Approved"),
    ClaimStatus.REJECTED: _("Rejected"),
    ClaimStatus.COMPLETED: _("Completed"),
}
CLAIM_TYPE = {
    CancellationType.CANCEL: _("Cancellation"),
    CancellationType.REFUND: _("Return"),
}


def order_item_status(status: str) -> str:
    return str(ORDER_ITEM_STATUS.get(status, status))


def package_status(status: int) -> str:
    return str(PACKAGE_STATUS.get(status, status))


def claim_status(status: str) -> str:
    return str(CLAIM_STATUS.get(status, status))


def claim_type(kind: str) -> str:
    return str(CLAIM_TYPE.get(kind, kind))


# Why a package action was refused, by the fulfilment app's error code.
PACKAGE_REFUSAL = {
    FulfilmentError.PACKAGE_STATUS_TRANSITION: _(
        "the package's status does not allow it any more (it changed meanwhile)."
    ),
    FulfilmentError.PACKAGE_ALREADY_INVOICED: _("the package has an invoice already."),
    FulfilmentError.PACKAGE_ITEM_UNKNOWN: _("an item chosen is no longer in the package."),
    FulfilmentError.PACKAGE_ITEM_CANCELLED: _("an item chosen is cancelled."),
    FulfilmentError.PACKAGE_ITEM_QUANTITY: _("more units were chosen than an item has."),
    FulfilmentError.PACKAGE_ITEM_REPEATED: _("an item was chosen twice."),
    FulfilmentError.PACKAGE_SPLIT_LEAVES_NOTHING: _(
        "a split must leave at least one unit in the package."
    ),
}


def package_refusal(code: str, detail: str) -> str:
    return str(PACKAGE_REFUSAL.get(code, detail))


CLAIM_ACTION = {
    "wait": _("Wait for the return"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "receive": _("Units received"),
    "complete": _("Refunded: complete"),
}
# The words the claims services write into a claim's history when nobody gave a reason.
CLAIM_EVENT_REASON = {
    "wait": _("waiting for the return"),
    "approve": pgettext_lazy("a claim", "approved"),
    "cancelled": _("units cancelled"),
    "received": _("units received"),
    "refunded": _("refunded"),
}


def claim_event_reason(reason: str) -> str:
    return str(CLAIM_EVENT_REASON.get(reason, reason))


CLAIM_REFUSAL = {
    ClaimError.CLAIM_STATUS_TRANSITION: _(
        "the claim's status does not allow it any more (it changed meanwhile)."
    ),
    ClaimError.CLAIM_ITEM_NOT_CANCELLABLE: _(
        "the item has shipped meanwhile: too late to cancel it."
    ),
}


def claim_refusal(code: str, detail: str) -> str:
    return str(CLAIM_REFUSAL.get(code, detail))
