"""Two connector runs committing the same object at once: one batch holds it, the other is
refused (406 `batch_request_object_held`), so an object is never sent twice (§11)."""

import threading

import pytest
from django.db import connection

from pazar.channels.models import BatchRequest, IntegrationAction
from pazar.channels.services import integration as services
from pazar.core.errors import ApplicationError
from tests.channels.factories import ChannelFactory, catalog_product


@pytest.mark.postgres_only
@pytest.mark.parametrize("round_", range(3))
def test_two_batches_committing_the_same_objects_at_once_one_holds_them(transactional_db, round_):
    channel = ChannelFactory()
    products = [catalog_product(channel.catalog) for _ in range(5)]
    batches = [services.batch_request_create(channel=channel) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def commit(index: int) -> None:
        objects = [{"pk": product.pk, "content_type": "product"} for product in products]
        try:
            start.wait(timeout=10)
            services.batch_request_update(
                batch=batches[index], data={"status": "commit", "objects": objects}
            )
            outcomes[index] = "commit"
        except ApplicationError as error:
            outcomes[index] = error.get_codes()
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["batch_request_object_held", "commit"]
    winner = next(batch for index, batch in enumerate(batches) if outcomes[index] == "commit")
    assert set(IntegrationAction.objects.values_list("batch_request", flat=True)) == {winner.pk}
    assert IntegrationAction.objects.filter(status="processing").count() == 5
    assert sorted(BatchRequest.objects.values_list("status", flat=True)) == [
        "commit",
        "initialized",
    ]
