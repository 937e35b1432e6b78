"""The words the back office shows for the domains' codes, translated."""

from django.utils.translation import gettext_lazy as _

from pazar.batches.models import BatchKind, BatchStatus
from pazar.catalog.models import ApprovalStatus

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
