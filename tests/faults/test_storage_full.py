"""A full file storage volume: a new batch is refused with a 503, a batch being applied is
rolled back and retried, and no truncated file is left under a batch's name.

The volume is a FileSystemStorage that runs out of room after a number of bytes: it writes what
fits to disk and then fails with ENOSPC, as a full filesystem does part way through a file.
bench/faults/disk_full.py fills a real (tmpfs) volume under a running deployment.
"""

from __future__ import annotations

import errno
from datetime import timedelta

import pytest
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from pazar.batches.models import BatchRequest, BatchStatus
from pazar.batches.services import batch_recover, batch_run
from pazar.catalog.models import Product
from tests.batches.helpers import PRODUCTS, accept, build_catalog, product_row, run_ready_tasks


class Truncating(File):
    """A file's content of which only `room` bytes fit on the volume."""

    def __init__(self, content, room: int) -> None:
        super().__init__(content.file, content.name)
        self.room = room

    def chunks(self, chunk_size=None):
        data = self.file.read()
        yield data[: self.room]
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")


class SmallVolume(FileSystemStorage):
    """Room for `room` more bytes in all (None: unlimited)."""

    room: int | None = None

    def _save(self, name, content):
        if SmallVolume.room is None:
            return super()._save(name, content)
        size = len(content.read())
        content.seek(0)
        fits = min(size, SmallVolume.room)
        SmallVolume.room -= fits
        return super()._save(name, Truncating(content, fits))


@pytest.fixture
def volume(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.SmallVolume",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    SmallVolume.room = None
    yield tmp_path / "files"
    SmallVolume.room = None


@pytest.fixture
def catalog(seller_client):
    return build_catalog(seller_client.seller)


def batch_files(location) -> list[str]:
    return sorted(p.name for p in (location / "batches").glob("*")) if location.exists() else []


def test_a_batch_sent_while_the_volume_is_full_is_a_503_and_stores_nothing(
    seller_client, catalog, volume
):
    SmallVolume.room = 100  # less than the request body

    response = seller_client.post(PRODUCTS, [product_row(catalog, "TS-1-RD")], format="json")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The file storage is full; retry later.",
        "code": "storage_full",
    }
    assert BatchRequest.objects.count() == 0
    assert batch_files(volume) == []  # the part that fitted was removed


def test_a_batch_whose_files_do_not_fit_is_rolled_back_and_completes_once_there_is_room(
    seller_client, catalog, volume, settings
):
    # given: an accepted batch, then a volume with room for part of its success file only
    batch_id = accept(
        seller_client, PRODUCTS, [product_row(catalog, f"TS-{n}-RD") for n in range(3)]
    )
    SmallVolume.room = 10

    # when: a worker applies it
    batch_run(batch_id=batch_id)

    # then: nothing applied, the batch is open for a retry, no truncated file
    batch = BatchRequest.objects.get(pk=batch_id)
    assert (batch.status, batch.attempts, batch.leased_by) == (BatchStatus.PROCESSING, 1, "")
    assert batch.error.startswith("OSError: [Errno 28] No space left on device")
    assert Product.objects.count() == 0
    assert batch_files(volume) == [f"{batch.pk}.json"]  # the request only

    # when: there is room again and the retry pause is over
    SmallVolume.room = None
    past = timezone.now() - timedelta(seconds=settings.PAZAR_BATCH_LEASE_SECONDS + 1)
    BatchRequest.objects.filter(pk=batch_id).update(lease_expires_at=past, last_enqueued_at=past)
    assert batch_recover() == 1
    run_ready_tasks("default")

    # then: applied once, with whole files
    batch = BatchRequest.objects.get(pk=batch_id)
    assert (batch.status, batch.attempts, batch.succeeded, batch.failed, batch.error) == (
        BatchStatus.COMPLETED, 2, 3, 0, "",
    )  # fmt: skip
    assert Product.objects.filter(seller=seller_client.seller).count() == 3
    assert batch_files(volume) == sorted(
        [f"{batch.pk}.json", f"{batch.pk}-s.json", f"{batch.pk}-e.json"]
    )
