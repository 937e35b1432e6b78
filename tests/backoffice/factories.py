"""Batch requests as the back office shows them: rows in any state, with their files."""

import factory
from django.utils import timezone

from pazar.batches import files
from pazar.batches.models import BatchKind, BatchRequest, BatchStatus
from tests.factories import SellerFactory


class BatchRequestFactory(factory.django.DjangoModelFactory):
    """A waiting batch of 10 rows; `completed=True` gives one that ended, with its files."""

    class Meta:
        model = BatchRequest
        skip_postgeneration_save = True

    seller = factory.SubFactory(SellerFactory)
    kind = BatchKind.PRODUCT_UPSERT
    total = 10

    class Params:
        completed = factory.Trait(
            status=BatchStatus.COMPLETED,
            succeeded=8,
            failed=2,
            processed_in=0.5,
            started_at=factory.LazyFunction(timezone.now),
            finished_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def error_rows(self, create, extracted, **kwargs):
        """`error_rows=[{"index", "sku", "row", "errors"}, …]` writes the batch's files."""
        if not create or extracted is None:
            return
        self.request_file = files.write_json(self.id, "request", [{}] * self.total)
        self.success_file = files.write_json(self.id, "success", [])
        self.error_file = files.write_json(self.id, "error", extracted)
        self.save(update_fields=["request_file", "success_file", "error_file"])


def error_row(index: int, sku: str, errors: dict) -> dict:
    return {"index": index, "sku": sku, "row": {"sku": sku}, "errors": errors}
