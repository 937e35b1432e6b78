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
APPROVAL_STATUS = {
    ApprovalStatus.PENDING: _("Waiting for approval"),
    ApprovalStatus.APPROVED: _("Approved"),
    ApprovalStatus.REJECTED: _("Rejected"),
}


def batch_status(status: int) -> str:
    return str(BATCH_STATUS.get(status, status))


def batch_kind(kind: str) -> str:
    return str(BATCH_KIND.get(kind, kind))


def approval_status(status: str) -> str:
    return str(APPROVAL_STATUS.get(status, status))
