"""Batch requests in the admin: filters, counts, progress polled while open, files, error rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pazar.batches.models import BatchRequest, BatchStatus
from tests.backoffice.conftest import client_for
from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.factories import OperatorFactory, SellerFactory, staff_with_perms

pytestmark = pytest.mark.django_db

BATCHES = "/admin/batches/batchrequest/"


def page_of(batch) -> str:
    return f"{BATCHES}{batch.pk}/change/"


def progress_of(batch) -> str:
    return f"{BATCHES}{batch.pk}/progress/"


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_the_list_counts_batches_by_status_and_shows_their_progress(superuser_client):
    BatchRequestFactory()
    processing = BatchRequestFactory(status=BatchStatus.PROCESSING, total=1000)
    BatchRequestFactory(completed=True, error_rows=[])
    BatchRequestFactory(completed=True, succeeded=10, failed=0)
    all_failed = BatchRequestFactory(completed=True, succeeded=0, failed=10)

    response = superuser_client.get(BATCHES)

    assert response.status_code == 200
    counts = {item["state"]: item["count"] for item in response.context["status_counts"]}
    assert counts == {
        "waiting": 1,
        "processing": 1,
        "completed": 1,
        "completed_with_errors": 1,
        "all_failed": 1,
        "failed": 0,
    }
    html = response.content.decode()
    # A batch whose rows all failed is not shown as a success, and its failed-row rate is given.
    assert (
        f'id="batch-progress-{all_failed.pk}" data-status="completed" data-state="all_failed"'
        in html
    )
    assert "100.0% of the rows failed" in html
    html = response.content.decode()
    # the open batches poll their progress; the finished one does not
    assert f'hx-get="{progress_of(processing)}"' in html
    assert html.count('hx-trigger="every 2s"') == 2
    assert "8 succeeded, 2 failed of 10" in html
    assert 'data-status="processing"' in html


def test_the_list_filters_by_seller_status_and_date(superuser_client):
    acme = SellerFactory(name="Acme")
    ours = BatchRequestFactory(seller=acme, completed=True)
    BatchRequestFactory(seller=acme)
    BatchRequestFactory(completed=True)
    old = BatchRequestFactory(seller=acme, completed=True)
    BatchRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d")

    response = superuser_client.get(
        BATCHES,
        {
            "seller__id__exact": str(acme.pk),
            "state": "completed_with_errors",
            "created_at_from_0": since,
        },
    )

    assert response.status_code == 200
    assert [batch.pk for batch in listed(response)] == [ours.pk]
    counts = {item["state"]: item["count"] for item in response.context["status_counts"]}
    assert counts["completed_with_errors"] == 1


def test_a_batch_page_shows_its_error_rows_readably_and_links_its_files(superuser_client):
    batch = BatchRequestFactory(
        completed=True,
        error_rows=[
            error_row(3, "TEE-3", {"attributes": {"COLOR": ['"Purple" is not a valid choice.']}}),
            error_row(7, "TEE-7", {"prices": {"0": {"price_list": ["Unknown price list."]}}}),
            error_row(9, "", {"non_field_errors": ["Expected an object."]}),
        ],
    )

    response = superuser_client.get(page_of(batch))

    assert response.status_code == 200
    rows = [(row.index, row.sku, row.messages) for row in response.context["error_rows"]]
    assert rows == [
        (3, "TEE-3", ['attributes.COLOR: "Purple" is not a valid choice.']),
        (7, "TEE-7", ["prices.0.price_list: Unknown price list."]),
        (9, "", ["Expected an object."]),
    ]
    # as people read them: the field's label, the row's number from 1
    shown = [
        (row.number, [str(line) for line in row.shown]) for row in response.context["error_rows"]
    ]
    assert shown == [
        (4, ['COLOR: "Purple" is not a valid choice.']),
        (8, ["Price 1 › Price list: Unknown price list."]),
        (10, ["Expected an object."]),
    ]
    html = response.content.decode()
    assert "<strong>Price 1 › Price list</strong>: Unknown price list." in html
    assert "prices.0.price_list" not in html
    assert set(response.context["links"]) == {"request", "success", "error"}


def test_error_rows_name_attributes_and_lists_for_people_and_count_identical_errors(
    superuser_client,
):
    from tests.factories import AttributeFactory

    AttributeFactory(key="COLOR", name="Colour", translations={"tr-tr": {"name": "Renk"}})
    bad_color = {"attributes": {"COLOR": ['"Purple" is not a valid choice.']}}
    closed_list = {"prices": {"0": {"price_list": ['Object with id="x" does not exist.']}}}
    rows = [error_row(i, f"S-{i}", bad_color) for i in range(60)]
    rows.append(
        {
            **error_row(60, "S-60", closed_list),
            "codes": {"prices": {"0": {"price_list": ["price_list_not_open"]}}},
        }
    )
    batch = BatchRequestFactory(completed=True, total=61, succeeded=0, failed=61, error_rows=rows)

    response = superuser_client.get(page_of(batch))

    groups = [(g.count, str(g.line), g.first_row) for g in response.context["error_rows"].groups]
    assert groups == [
        (60, 'Colour: "Purple" is not a valid choice.', 1),
        (
            1,
            "Price 1 › Price list: You may not use this price list: it does not exist or is not open to you.",
            61,
        ),
    ]
    turkish = superuser_client.get(page_of(batch), headers={"accept-language": "tr"})
    assert "Renk" in turkish.content.decode()


def test_the_error_file_link_downloads_the_error_rows(superuser_client):
    batch = BatchRequestFactory(completed=True, error_rows=[error_row(0, "A", {"sku": ["Bad."]})])

    link = superuser_client.get(page_of(batch)).context["links"]["error"]
    downloaded = superuser_client.get(link)

    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/json"
    assert b'"sku":"A"' in b"".join(downloaded.streaming_content)


def test_error_rows_are_paged_fifty_at_a_time(superuser_client):
    batch = BatchRequestFactory(
        completed=True,
        total=120,
        error_rows=[error_row(i, f"S-{i}", {"sku": ["Bad."]}) for i in range(120)],
    )

    last = superuser_client.get(page_of(batch), {"errors_page": "3"})

    page = last.context["error_rows"]
    assert (page.number, page.paginator.num_pages, len(page)) == (3, 3, 20)
    assert page[0].sku == "S-100"
    assert "Page 3 of 3 (120 rows)" in last.content.decode()


def test_a_batch_without_files_yet_says_so(superuser_client):
    batch = BatchRequestFactory()

    response = superuser_client.get(page_of(batch))

    assert response.context["error_rows"] is None
    assert response.context["links"] == {}
    assert "The error file is not there yet." in response.content.decode()


def test_the_progress_of_an_open_batch_keeps_polling(superuser_client):
    batch = BatchRequestFactory(status=BatchStatus.PROCESSING)

    response = superuser_client.get(progress_of(batch))

    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert b'hx-trigger="every 2s"' in response.content
    assert b'data-status="processing"' in response.content


def test_the_progress_of_a_finished_batch_reloads_the_page(superuser_client):
    batch = BatchRequestFactory(completed=True)

    response = superuser_client.get(progress_of(batch))

    assert response["HX-Refresh"] == "true"
    assert b"hx-trigger" not in response.content


def test_a_waiting_batch_says_how_many_of_its_sellers_batches_go_first(superuser_client):
    seller = SellerFactory()
    batches = [
        BatchRequestFactory(seller=seller, status=BatchStatus.PROCESSING),
        BatchRequestFactory(seller=seller),
        BatchRequestFactory(),  # another seller's: not ahead
        BatchRequestFactory(seller=seller),
    ]
    start = timezone.now() - timedelta(minutes=10)
    for minute, batch in enumerate(batches):  # the order they arrived in, a minute apart
        BatchRequest.objects.filter(pk=batch.pk).update(
            created_at=start + timedelta(minutes=minute)
        )
    last = batches[-1]

    response = superuser_client.get(progress_of(last))

    assert b"2 batches ahead" in response.content


def test_batches_need_the_view_batchrequest_permission_and_are_never_edited():
    batch = BatchRequestFactory(completed=True)
    without = client_for(OperatorFactory())
    reader = client_for(staff_with_perms("batches.view_batchrequest"))

    assert without.get(BATCHES).status_code == 403
    assert without.get(progress_of(batch)).status_code == 403
    assert reader.get(BATCHES).status_code == 200
    assert reader.get(progress_of(batch)).status_code == 200
    edit = client_for(OperatorFactory(is_superuser=True)).post(page_of(batch), {"total": "1"})
    assert edit.status_code == 403
    batch.refresh_from_db()
    assert batch.total == 10


def test_a_batch_page_shows_what_people_follow_not_the_engines_internals(superuser_client):
    batch = BatchRequestFactory(completed=True, error_rows=[], leased_by="worker-7:123")

    response = superuser_client.get(page_of(batch))

    html = response.content.decode()
    assert response.status_code == 200
    assert "worker-7:123" not in html
    assert batch.error_file not in html  # no storage path
    assert f'download="batch-{batch.pk}-errors.json"' in html  # a file downloads, not raw JSON
    # deleting is the list's bulk action only, not a button on the batch's page
    assert superuser_client.get(
        f"{page_of(batch).rsplit('/change/', 1)[0]}/delete/"
    ).status_code in (
        302,
        403,
    )
