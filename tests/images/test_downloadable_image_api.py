"""i1 downloadable images (omnitron.md §6): a product's whole image set replaced from URLs, in
the background, all or nothing; followed through the download's status resource.

Images come from a real HTTP server on 127.0.0.1 (private networks allowed for these tests) and
the download runs through django-tasks-db's real task rows.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from pazar.catalog.models import Product
from pazar.images.models import ImageDownload, ProductImage
from pazar.images.services import image_download_recover, image_download_run
from tests.factories import ProductFactory, SellerFactory
from tests.images.helpers import (
    DEADLINE,
    DOWNLOADS,
    MAX_BYTES,
    PRODUCT_IMAGES,
    ImageServer,
    Route,
    image_bytes,
    noise_png,
    run_downloads,
    slow_to_answer,
    trickle,
    unbounded,
)

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://pazar.example.com"
RED = image_bytes("PNG", (8, 6), (200, 30, 30))
GREEN = image_bytes("JPEG", (12, 10), (30, 200, 30))
BLUE = image_bytes("PNG", (5, 5), (30, 30, 200))
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.fixture(autouse=True)
def _settings(download_settings):
    download_settings.PAZAR_PUBLIC_URL = PUBLIC_URL


@pytest.fixture
def server():
    with ImageServer(
        routes={
            "/red.png": Route(body=RED),
            "/green.jpg": Route(body=GREEN, content_type="image/jpeg"),
            "/blue.png": Route(body=BLUE),
            "/blue-again.png": Route(body=BLUE),
        }
    ) as running:
        yield running


@pytest.fixture
def product():
    return ProductFactory(seller=None, sku="SKU1", live=True)


def replace(client, images, sku="SKU1"):
    return client.post(DOWNLOADS, {"product_sku": sku, "images": images}, format="json")


def replaced(client, images, sku="SKU1") -> dict:
    """Send a replacement, run the worker, return the finished download as a client reads it."""
    response = replace(client, images, sku)
    assert response.status_code == 202, response.content
    run_downloads()
    return client.get(f"{DOWNLOADS}{response.json()['pk']}/").json()


def images_of(client, product) -> list[dict]:
    response = client.get(PRODUCT_IMAGES, {"product": product.pk, "limit": 100})
    assert response.status_code == 200
    return response.json()["results"]


def stored_files(location) -> set[str]:
    return {str(path.relative_to(location)) for path in location.rglob("*") if path.is_file()}


# --- the happy path -------------------------------------------------------------------------


def test_a_replacement_is_accepted_then_downloaded_and_its_status_followed(
    operator_client, product, server, image_storage
):
    response = replace(
        operator_client,
        [
            {"url": server.url("/red.png"), "order": 1},
            {"url": server.url("/green.jpg"), "order": 0, "image_type": "swatch"},
        ],
    )

    assert response.status_code == 202
    accepted = response.json()
    assert response["Location"] == f"{PUBLIC_URL}{DOWNLOADS}{accepted['pk']}/"
    assert accepted["status"] == "waiting"
    assert accepted["product"] == product.pk
    assert accepted["product_sku"] == "SKU1"
    assert accepted["images"] == [
        {"url": server.url("/red.png"), "order": 1, "image_type": "default"},
        {"url": server.url("/green.jpg"), "order": 0, "image_type": "swatch"},
    ]
    assert (accepted["results"], accepted["errors"]) == ([], [])
    assert accepted["finished_date"] is None
    assert images_of(operator_client, product) == []  # nothing happens before the worker runs

    run_downloads()
    done = operator_client.get(f"{DOWNLOADS}{accepted['pk']}/").json()

    images = images_of(operator_client, product)
    assert done["status"] == "completed"
    assert done["errors"] == []
    assert done["finished_date"] is not None
    assert [image["source_url"] for image in images] == [
        server.url("/green.jpg"),
        server.url("/red.png"),
    ]
    green, red = images
    assert done["results"] == [
        {"url": server.url("/red.png"), "product_image": red["pk"]},
        {"url": server.url("/green.jpg"), "product_image": green["pk"]},
    ]
    assert {k: green[k] for k in ["order", "image_type", "source", "status", "is_active"]} == {
        "order": 0,
        "image_type": "swatch",
        "source": "integration",
        "status": "active",
        "is_active": True,
    }
    assert (green["width"], green["height"], red["width"], red["height"]) == (12, 10, 8, 6)
    name = f"product_images/{product.pk}/{red['hash']}.png"
    assert red["image"] == f"{PUBLIC_URL}/files/{name}"
    assert green["image"].endswith(f"/{green['hash']}.jpg")
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == RED
    product.refresh_from_db()
    assert product.images == [green["image"], red["image"]]


def test_the_stored_image_is_served_at_its_url(operator_client, product, server, client):
    replaced(operator_client, [{"url": server.url("/red.png")}])
    url = images_of(operator_client, product)[0]["image"]

    response = client.get(url.removeprefix(PUBLIC_URL))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == RED


def test_a_seller_product_found_by_its_sku_shows_its_new_images_in_the_seller_center(
    operator_client, server, seller_client
):
    product = ProductFactory(seller=seller_client.seller, sku="SELLER-SKU", live=True)

    done = replaced(operator_client, [{"url": server.url("/red.png")}], sku="SELLER-SKU")

    listed = seller_client.get("/seller-center/api/i2/products/").json()["results"]
    assert done["status"] == "completed"
    assert [item["images"] for item in listed] == [
        [images_of(operator_client, product)[0]["image"]]
    ]


def test_a_second_replacement_keeps_updates_and_deletes_exactly_what_the_request_says(
    operator_client, product, server, image_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        replaced(
            operator_client,
            [
                {"url": server.url("/red.png"), "order": 0},
                {"url": server.url("/blue.png"), "order": 1},
                {"url": server.url("/green.jpg"), "order": 2},
            ],
        )
    red, blue, _ = images_of(operator_client, product)

    with django_capture_on_commit_callbacks(execute=True):
        done = replaced(
            operator_client,
            [
                # the same URL: kept without downloading it again
                {"url": server.url("/red.png"), "order": 3, "image_type": "swatch"},
                # another URL with the same content: kept, now known by the new URL
                {"url": server.url("/blue-again.png"), "order": 0},
            ],
        )

    images = images_of(operator_client, product)
    assert done["status"] == "completed"
    assert [(image["pk"], image["order"]) for image in images] == [(blue["pk"], 0), (red["pk"], 3)]
    assert images[0]["source_url"] == server.url("/blue-again.png")
    assert images[1]["image_type"] == "swatch"
    assert server.hits["/red.png"] == 1
    assert done["results"] == [
        {"url": server.url("/red.png"), "product_image": red["pk"]},
        {"url": server.url("/blue-again.png"), "product_image": blue["pk"]},
    ]
    # the green image and its file are gone; the others' files stay
    assert stored_files(image_storage) == {
        f"product_images/{product.pk}/{blue['hash']}.png",
        f"product_images/{product.pk}/{red['hash']}.png",
    }
    product.refresh_from_db()
    assert product.images == [blue["image"], red["image"]]


def test_two_urls_with_the_same_content_are_stored_once(operator_client, product, server):
    done = replaced(
        operator_client,
        [
            {"url": server.url("/blue.png"), "order": 4},
            {"url": server.url("/blue-again.png"), "order": 9, "image_type": "swatch"},
        ],
    )

    images = images_of(operator_client, product)
    assert len(images) == 1
    assert (images[0]["order"], images[0]["image_type"]) == (4, "default")
    assert [result["product_image"] for result in done["results"]] == [images[0]["pk"]] * 2


def test_an_empty_image_list_deletes_every_image(operator_client, product, server):
    replaced(operator_client, [{"url": server.url("/red.png")}])

    done = replaced(operator_client, [])

    assert done["status"] == "completed"
    assert images_of(operator_client, product) == []
    product.refresh_from_db()
    assert product.images == []


def test_gif_and_webp_images_are_accepted_and_redirects_followed(operator_client, product):
    gif, webp = image_bytes("GIF"), image_bytes("WEBP", (7, 3))
    with ImageServer(routes={"/a.gif": Route(body=gif), "/b.webp": Route(body=webp)}) as server:
        done = replaced(
            operator_client,
            [
                {"url": server.url("/a.gif")},
                {"url": server.url("/redirect?to=/b.webp"), "order": 1},
            ],
        )

    images = images_of(operator_client, product)
    assert done["status"] == "completed"
    assert [image["image"].rsplit(".", 1)[1] for image in images] == ["gif", "webp"]
    assert (images[1]["width"], images[1]["height"]) == (7, 3)


def test_running_a_finished_download_again_changes_nothing(operator_client, product, server):
    done = replaced(operator_client, [{"url": server.url("/red.png")}])
    before = images_of(operator_client, product)

    image_download_run(download_id=done["pk"])

    assert images_of(operator_client, product) == before
    assert server.hits["/red.png"] == 1
    assert operator_client.get(f"{DOWNLOADS}{done['pk']}/").json() == done


def test_a_request_applied_after_a_later_one_is_superseded_and_changes_nothing(
    operator_client, product, server
):
    first = replace(operator_client, [{"url": server.url("/red.png")}]).json()
    second = replace(operator_client, [{"url": server.url("/green.jpg")}]).json()

    image_download_run(download_id=second["pk"])
    image_download_run(download_id=first["pk"])

    outcome = operator_client.get(f"{DOWNLOADS}{first['pk']}/").json()
    assert outcome["status"] == "failed"
    assert [(error["code"], error["url"]) for error in outcome["errors"]] == [("superseded", None)]
    assert [image["source_url"] for image in images_of(operator_client, product)] == [
        server.url("/green.jpg")
    ]


def test_the_downloads_of_a_product_are_listed_newest_first(operator_client, product, server):
    first = replaced(operator_client, [{"url": server.url("/red.png")}])
    second = replace(operator_client, [{"url": server.url("/nothing.png")}]).json()
    ProductFactory(seller=None, sku="OTHER")
    replace(operator_client, [], sku="OTHER")

    listed = operator_client.get(DOWNLOADS, {"product_sku": "SKU1"}).json()
    waiting = operator_client.get(DOWNLOADS, {"product_sku": "SKU1", "status": "waiting"}).json()

    assert [item["pk"] for item in listed["results"]] == [second["pk"], first["pk"]]
    assert [item["pk"] for item in waiting["results"]] == [second["pk"]]


# --- failures: the old image set stays ------------------------------------------------------

BIG_FILE = noise_png(MAX_BYTES + 1000)
FAILURES = {
    "not found": (Route(status=404, body=b"gone", content_type="text/plain"), "http_status"),
    "server error": (Route(status=500, body=b"oops", content_type="text/plain"), "http_status"),
    "not an image": (Route(body=b"<html>hello</html>", content_type="text/html"), "not_an_image"),
    "truncated image": (Route(body=image_bytes("PNG", (300, 300))[:-200]), "not_an_image"),
    "unsupported format": (Route(body=image_bytes("BMP")), "unsupported_format"),
    "too many pixels": (Route(body=image_bytes("PNG", (2001, 20))), "dimensions_exceeded"),
    "too many bytes": (Route(body=BIG_FILE), "too_large"),
    "too many bytes, no length": (Route(answer=unbounded(b"\x89PNG" * 4096)), "too_large"),
    "slow to answer": (Route(answer=slow_to_answer(3)), "timeout"),
    "too slow overall": (Route(answer=trickle(image_bytes(), every=0.3, chunk=8)), "timeout"),
    "redirect loop": (Route(status=302, headers={"Location": "/bad"}), "too_many_redirects"),
}


@pytest.mark.parametrize(("route", "code"), FAILURES.values(), ids=FAILURES.keys())
def test_one_failing_image_fails_the_whole_request_and_the_old_images_stay(
    operator_client, product, server, image_storage, route, code
):
    replaced(operator_client, [{"url": server.url("/red.png")}])
    before = images_of(operator_client, product)
    files_before = stored_files(image_storage)
    product.refresh_from_db()
    published_before = product.images
    server.routes["/bad"] = route

    done = replaced(
        operator_client,
        [{"url": server.url("/green.jpg")}, {"url": server.url("/bad"), "order": 1}],
    )

    assert done["status"] == "failed"
    assert done["results"] == []
    assert [(e["index"], e["url"], e["code"]) for e in done["errors"]] == [
        (1, server.url("/bad"), code)
    ]
    assert done["errors"][0]["detail"]
    assert images_of(operator_client, product) == before
    assert stored_files(image_storage) == files_before
    product.refresh_from_db()
    assert product.images == published_before


def test_a_download_that_outlasts_the_deadline_is_cut_off_at_the_deadline(operator_client, product):
    body = noise_png(8_000)  # 40 bytes every 0.3 s: a minute to send it all
    with ImageServer(routes={"/slow.png": Route(answer=trickle(body, every=0.3, chunk=40))}) as s:
        started = time.monotonic()
        done = replaced(operator_client, [{"url": s.url("/slow.png")}])
        elapsed = time.monotonic() - started

    assert done["status"] == "failed"
    assert (done["errors"][0]["code"], done["errors"][0]["detail"]) == (
        "timeout",
        "The download did not finish in time.",
    )
    # Cut at the deadline, not when the body ends (60 s away); the margin covers the request,
    # the task runner and a busy machine, not a download that ran on.
    assert DEADLINE <= elapsed < DEADLINE + 10


def test_every_failing_url_is_reported(operator_client, product, server):
    done = replaced(
        operator_client,
        [
            {"url": server.url("/missing-1.png")},
            {"url": server.url("/red.png")},
            {"url": server.url("/missing-2.png")},
        ],
    )

    assert done["status"] == "failed"
    assert [(error["index"], error["code"]) for error in done["errors"]] == [
        (0, "http_status"),
        (2, "http_status"),
    ]
    assert done["errors"][0]["detail"] == "The server answered 404."
    assert images_of(operator_client, product) == []


def test_the_largest_dimensions_come_from_the_dynamic_setting(operator_client, product, server):
    operator_client.post(
        "/omnitron/api/v1/dynamic_settings/",
        {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 10, "HEIGHT": 5}},
        format="json",
    )

    done = replaced(operator_client, [{"url": server.url("/red.png")}])  # 8×6

    assert done["status"] == "failed"
    assert done["errors"][0]["code"] == "dimensions_exceeded"
    assert done["errors"][0]["detail"] == (
        "The image is 8×6 pixels; at most 10×5 are accepted (MAX_IMAGE_DIMENSIONS)."
    )


def test_an_image_exactly_at_the_limits_is_accepted(operator_client, product):
    settings_body = {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 40, "HEIGHT": 30}}
    operator_client.post("/omnitron/api/v1/dynamic_settings/", settings_body, format="json")
    exact = image_bytes("PNG", (40, 30))
    with ImageServer(routes={"/exact.png": Route(body=exact)}) as server:
        done = replaced(operator_client, [{"url": server.url("/exact.png")}])

    assert done["status"] == "completed"
    assert Image.open(default_storage.open(ProductImage.objects.get().image.name)).size == (40, 30)


# --- private networks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["127.0.0.1:{port}", "localhost:{port}", "10.1.2.3", "169.254.169.254", "[::1]"]
)
def test_private_addresses_are_refused_unless_allowed(
    operator_client, product, server, settings, address
):
    replaced(operator_client, [{"url": server.url("/red.png")}])
    before = images_of(operator_client, product)
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = False
    port = server.base.rsplit(":", 1)[1]
    url = f"http://{address.format(port=port)}/green.jpg"

    done = replaced(operator_client, [{"url": url}])

    assert done["status"] == "failed"
    assert [(error["url"], error["code"]) for error in done["errors"]] == [(url, "address_refused")]
    assert "non-public address" in done["errors"][0]["detail"]
    assert server.hits.get("/green.jpg") is None
    assert images_of(operator_client, product) == before


# --- the request itself ---------------------------------------------------------------------


def test_an_unknown_sku_is_a_400_and_queues_nothing(operator_client):
    response = replace(operator_client, [], sku="NOPE")

    assert response.status_code == 400
    assert response.json() == {"product_sku": ["No product has this SKU."]}
    assert not ImageDownload.objects.exists()


def test_a_sku_of_several_sellers_is_a_400_naming_the_id_api(operator_client):
    ProductFactory(seller=SellerFactory(), sku="SHARED")
    ProductFactory(seller=SellerFactory(), sku="SHARED")

    response = replace(operator_client, [], sku="SHARED")

    assert response.status_code == 400
    assert response.json() == {
        "product_sku": [
            "Several sellers have a product with this SKU; "
            "upload the images by product id (/api/v1/product_image/)."
        ]
    }


def test_the_operators_product_wins_over_a_sellers_with_the_same_sku(operator_client, product):
    ProductFactory(seller=SellerFactory(), sku="SKU1")

    response = replace(operator_client, [])

    assert response.json()["product"] == product.pk


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"product_sku": ["This field is required."], "images": ["This field is required."]}),
        (
            {"product_sku": "SKU1", "images": {"url": "https://x.example/a.png"}},
            {"images": {"non_field_errors": ['Expected a list of items but got type "dict".']}},
        ),
        (
            {"product_sku": "SKU1", "images": [{"url": "ftp://x.example/a.png"}]},
            {"images": {"0": {"url": ["Enter a valid URL."]}}},
        ),
        (
            {"product_sku": "SKU1", "images": [{"url": "not a url"}]},
            {"images": {"0": {"url": ["Enter a valid URL."]}}},
        ),
        (
            {"product_sku": "SKU1", "images": [{"order": 0}]},
            {"images": {"0": {"url": ["This field is required."]}}},
        ),
        (
            {
                "product_sku": "SKU1",
                "images": [
                    {"url": "https://x.example/a.png"},
                    {"url": "https://x.example/b.png", "order": -1, "image_type": "main"},
                ],
            },
            {
                "images": {
                    "1": {
                        "order": ["Ensure this value is greater than or equal to 0."],
                        "image_type": ['"main" is not a valid choice.'],
                    },
                }
            },
        ),
        (
            {
                "product_sku": "SKU1",
                "images": [{"url": "https://x.example/a.png"}, {"url": "https://x.example/a.png"}],
            },
            {"images": ["Each URL may appear once; repeated: https://x.example/a.png."]},
        ),
        (
            {
                "product_sku": "SKU1",
                "images": [{"url": f"https://x.example/{n}.png"} for n in range(51)],
            },
            {"images": {"non_field_errors": ["Ensure this field has no more than 50 elements."]}},
        ),
    ],
    ids=[
        "empty",
        "not a list",
        "ftp",
        "not a url",
        "no url",
        "bad fields",
        "repeated url",
        "too many",
    ],
)
def test_a_bad_request_is_a_400_and_queues_nothing(operator_client, product, body, errors):
    response = operator_client.post(DOWNLOADS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not ImageDownload.objects.exists()


def test_an_unknown_download_is_a_404(operator_client):
    response = operator_client.get(f"{DOWNLOADS}999999/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_deleted_product_takes_its_downloads_with_it(operator_client, product, server):
    accepted = replace(operator_client, [{"url": server.url("/red.png")}]).json()

    Product.objects.filter(pk=product.pk).delete()
    run_downloads()

    assert operator_client.get(f"{DOWNLOADS}{accepted['pk']}/").status_code == 404
    assert server.hits == {}


# --- a worker that dies ---------------------------------------------------------------------


def test_a_download_whose_worker_died_is_queued_again_and_completes(
    operator_client, product, server
):
    lost = replace(operator_client, [{"url": server.url("/red.png")}]).json()
    # a worker claimed the first task, marked the download processing and died
    DBTaskResult.objects.filter(args_kwargs__kwargs__download_id=lost["pk"]).get().claim("gone")
    long_ago = timezone.now() - timedelta(hours=2)
    ImageDownload.objects.filter(pk=lost["pk"]).update(status="processing", updated_at=long_ago)

    requeued = image_download_recover()
    run_downloads()

    assert requeued == 1
    assert operator_client.get(f"{DOWNLOADS}{lost['pk']}/").json()["status"] == "completed"
    assert image_download_recover() == 0
    assert [image["source_url"] for image in images_of(operator_client, product)] == [
        server.url("/red.png")
    ]


def test_a_download_still_within_its_time_is_not_queued_again(operator_client, product, server):
    accepted = replace(operator_client, [{"url": server.url("/red.png")}]).json()
    ImageDownload.objects.filter(pk=accepted["pk"]).update(status="processing")

    assert image_download_recover() == 0
