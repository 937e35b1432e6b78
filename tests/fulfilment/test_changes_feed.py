"""The packages' cursor feed: a client polling with its last cursor sees every change once,
even when transactions commit out of the order they started in (PostgreSQL races below)."""

import random
import threading
import time

import pytest
from django.db import connection, transaction

from pazar.fulfilment.models import Package, PackageChange, PackageChangeKind
from pazar.fulfilment.services.changes import package_changed
from tests.fulfilment.conftest import API

FEED = f"{API}/packages/changes/"


def read_all(client, cursor: str = "", limit: int = 100) -> tuple[list[dict], str]:
    seen = []
    while True:
        response = client.get(FEED, {"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.json()
        body = response.json()
        seen += body["results"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return seen, cursor


def test_the_feed_lists_the_sellers_changes_in_order_with_a_cursor(placed, cargo):
    placed.seller.post(placed.url("ready/"))
    first = placed.seller.get(FEED, {"limit": 1}).json()

    assert [(c["kind"], c["status"]) for c in first["results"]] == [("created", 2)]
    assert first["results"][0]["package"] == placed.package.number
    assert first["results"][0]["order_number"] == "MP-100"
    assert first["has_more"] is True
    rest = placed.seller.get(FEED, {"cursor": first["next_cursor"]}).json()
    assert [(c["kind"], c["status"]) for c in rest["results"]] == [("status_changed", 3)]
    empty = placed.seller.get(FEED, {"cursor": rest["next_cursor"]}).json()
    assert empty["results"] == [] and empty["next_cursor"] == rest["next_cursor"]
    # the other seller sees only its own package
    other = placed.other.get(FEED).json()["results"]
    assert [c["package"] for c in other] == [placed.other_package.number]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"cursor": "abc"}, "code"), ({"cursor": "-1"}, "code"), ({"limit": "0"}, "limit"),
     ({"limit": "x"}, "limit")],
)  # fmt: skip
def test_bad_cursors_and_limits_are_400(placed, params, field):
    response = placed.seller.get(FEED, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.postgres_only
def test_a_change_committed_late_is_not_skipped_by_a_cursor_handed_out_meanwhile(
    transactional_db, operator_client
):
    from tests.fulfilment.conftest import client_of, place
    from tests.orders.conftest import make_shop

    shop = make_shop()
    place(operator_client, shop, "MP-1", [shop.item(shop.offer)])
    package = Package.objects.get(seller=shop.offer.seller)
    seller = client_of(shop.offer.seller)
    _, cursor = read_all(seller)

    slow_wrote, fast_done, slow_may_commit = threading.Event(), threading.Event(), threading.Event()

    def slow():  # starts first, commits last
        try:
            with transaction.atomic():
                package_changed(package=package, kind=PackageChangeKind.UPDATED)
                slow_wrote.set()
                slow_may_commit.wait(10)
        finally:
            connection.close()

    def fast():  # starts second; its change must not get ahead of the open one
        try:
            slow_wrote.wait(10)
            with transaction.atomic():
                package_changed(package=package, kind=PackageChangeKind.ITEMS_CHANGED)
            fast_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=slow), threading.Thread(target=fast)]
    for thread in threads:
        thread.start()
    slow_wrote.wait(10)
    # while the older transaction is open, the feed shows nothing of either, and the younger
    # one waits for the seller's change lock instead of taking an id it would commit before
    assert not fast_done.wait(0.5)
    early, cursor = read_all(seller, cursor)
    assert early == []
    slow_may_commit.set()
    for thread in threads:
        thread.join(10)

    late, cursor = read_all(seller, cursor)
    assert [c["kind"] for c in late] == ["updated", "items_changed"]
    assert int(late[0]["cursor"]) < int(late[1]["cursor"])


@pytest.mark.postgres_only
def test_writers_for_another_seller_do_not_wait(transactional_db, operator_client):
    from tests.orders.conftest import make_shop

    shop = make_shop()
    from tests.fulfilment.conftest import place

    place(operator_client, shop, "MP-1", [shop.item(shop.offer), shop.item(shop.other_offer)])
    mine = Package.objects.get(seller=shop.offer.seller)
    theirs = Package.objects.get(seller=shop.other_offer.seller)
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                package_changed(package=mine, kind=PackageChangeKind.UPDATED)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    started = time.monotonic()
    with transaction.atomic():
        package_changed(package=theirs, kind=PackageChangeKind.UPDATED)
    waited = time.monotonic() - started
    release.set()
    thread.join(10)
    assert waited < 1


@pytest.mark.postgres_only
def test_a_poller_racing_eight_writers_sees_every_change_exactly_once(
    transactional_db, operator_client, settings
):
    settings.PAZAR_RATE_LIMITS = None  # the poller asks far more than 20 times a minute
    from tests.fulfilment.conftest import client_of, place
    from tests.orders.conftest import make_shop

    shop = make_shop()
    place(operator_client, shop, "MP-1", [shop.item(shop.offer)])
    package = Package.objects.get(seller=shop.offer.seller)
    seller = client_of(shop.offer.seller)
    writers, each = 8, 15
    done = threading.Event()

    def write(n: int):
        rng = random.Random(n)
        try:
            for _ in range(each):
                with transaction.atomic():
                    package_changed(package=package, kind=PackageChangeKind.UPDATED)
                    time.sleep(rng.random() * 0.02)  # commit at a random moment after the write
        finally:
            connection.close()

    seen: list[dict] = []
    errors: list[BaseException] = []

    def poll():
        cursor = ""
        try:
            while not done.is_set():
                page, cursor = read_all(seller, cursor, limit=7)
                seen.extend(page)
            page, cursor = read_all(seller, cursor, limit=7)
            seen.extend(page)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    poller = threading.Thread(target=poll)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    poller.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done.set()
    poller.join(60)

    assert errors == []
    cursors = [c["cursor"] for c in seen]
    assert len(cursors) == len(set(cursors))  # nothing twice
    expected = {str(c.id) for c in PackageChange.objects.filter(package=package)}
    assert set(cursors) == expected  # nothing missed
    assert len(expected) == 1 + writers * each


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "²"}, None),
        ({"cursor": "x"}, None),
        ({"limit": ""}, "limit"),
        ({"limit": "²"}, "limit"),
    ],
)
def test_a_cursor_or_limit_that_is_not_a_plain_number_is_a_400(seller_client, params, field):
    response = seller_client.get("/seller-center/api/i2/packages/changes/", params)

    assert response.status_code == 400
    if field:
        assert field in response.json()
    else:
        assert response.json()["code"] == "cursor_invalid"
