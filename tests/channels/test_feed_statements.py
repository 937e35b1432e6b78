"""What channel_app's insert loop costs in SQL statements: a fixed few per call, whatever the
size of the page (issue 16). Per page: `GET products/inserts/`, `POST batch_requests/`, `PATCH`
it to `commit` with the page's products, `PATCH` it to `done` with their remote ids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.channels.factories import catalog_product

pytestmark = pytest.mark.django_db

# Each call: the token (with its user), then
# * feed: the channel (with its catalog), the page's count, the page, its group products;
# * create: the batch's insert if the channel exists, one statement (in its own transaction on
#   SQLite: BEGIN … COMMIT);
# * commit: the channel's batch, read once and locked (no read of the channel of its own), then
#   the actions inserted or taken (`processing` under this batch unless another holds them),
#   the batch's event and its row (its `content_type` included: no UPDATE of its own);
# * done: the channel's batch, locked, then its actions locked and written (on SQLite a locking
#   read, then one upsert), the batch's event and its row.
# On PostgreSQL the writes of a commit, and of a done, are one statement. SQLite counts its
# BEGIN and COMMIT, PostgreSQL its savepoints.
STATEMENTS = {
    "sqlite": {"feed": 5, "create": 4, "commit": 7, "done": 8},
    "postgresql": {"feed": 5, "create": 4, "commit": 5, "done": 5},
}


def _cycle(client, base, channel, limit: int) -> dict[str, int]:
    counts = {}

    def call(name, method, url, body=None):
        with CaptureQueriesContext(connection) as captured:
            if method == "get":
                response = client.get(url, body)
            else:
                response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201), response.content
        counts[name] = len(captured.captured_queries)
        return response.json()

    page = call("feed", "get", f"{base}products/inserts/", {"product_type": 0, "limit": limit})
    products = page["results"]
    assert len(products) == limit
    pk = call("create", "post", f"{base}batch_requests/", {"channel": channel.pk})["pk"]
    objects = [
        {"pk": p["pk"], "version_date": p["modified_date"], "content_type": "product",
         "failed_reason_type": None, "remote_id": None}
        for p in products
    ]  # fmt: skip
    commit = call(
        "commit", "patch", f"{base}batch_requests/{pk}/",
        {"channel": channel.pk, "status": "commit", "content_type": "product",
         "objects": objects},
    )  # fmt: skip
    assert commit["status"] == "commit"
    for item in objects:
        item["remote_id"] = f"R-{item['pk']}"
    done = call(
        "done",
        "patch",
        f"{base}batch_requests/{pk}/",
        {"channel": channel.pk, "status": "done", "objects": objects},
    )
    assert done["status"] == "done"
    return counts


def test_each_call_of_the_insert_loop_is_a_fixed_few_statements(operator_client, base, channel):
    for _ in range(1 + 5 + 40):
        catalog_product(channel.catalog)
    _cycle(operator_client, base, channel, 1)  # the process's caches (content types) warm

    five = _cycle(operator_client, base, channel, 5)
    forty = _cycle(operator_client, base, channel, 40)

    assert five == forty
    assert five == STATEMENTS[connection.vendor]
    page = operator_client.get(f"{base}products/inserts/", {"limit": 1}).json()
    assert page["count"] == 0
