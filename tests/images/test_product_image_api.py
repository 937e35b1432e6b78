"""v1 product images (omnitron.md §6): multipart uploads checked with Pillow, reordering, showing
and hiding, deleting; `Product.images` follows every change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pazar.images.models import ProductImage
from tests.factories import ProductFactory
from tests.images.helpers import MAX_BYTES, PRODUCT_IMAGES, image_bytes, noise_png

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://pazar.example.com"
RED = image_bytes("PNG", (8, 6), (200, 30, 30))
GREEN = image_bytes("JPEG", (12, 10), (30, 200, 30))


@pytest.fixture(autouse=True)
def _settings(settings, image_storage):
    settings.PAZAR_PUBLIC_URL = PUBLIC_URL
    settings.PAZAR_IMAGE_MAX_BYTES = MAX_BYTES


@pytest.fixture
def product():
    return ProductFactory(seller=None, live=True)


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def upload(client, product, content=RED, name="red.png", **fields):
    return client.post(
        PRODUCT_IMAGES,
        {"product": product.pk, "image": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def image_body(image: ProductImage) -> dict:
    image.refresh_from_db()
    return {
        "pk": image.pk,
        "id": image.pk,
        "product": image.product_id,
        "image": f"{PUBLIC_URL}/files/{image.image.name}",
        "order": image.order,
        "image_type": image.image_type,
        "source": image.source,
        "status": image.status,
        "is_active": image.is_active,
        "height": image.height,
        "width": image.width,
        "hash": image.hash,
        "source_url": image.source_url,
        "created_date": iso(image.created_at),
        "modified_date": iso(image.updated_at),
    }


def test_an_uploaded_png_is_stored_and_published(operator_client, product, image_storage):
    response = upload(operator_client, product, source="unified")

    assert response.status_code == 201
    image = ProductImage.objects.get()
    assert response.json() == image_body(image)
    assert response.json()["source"] == "unified"
    assert (image.width, image.height, image.order, image.status) == (8, 6, 0, "active")
    assert image.image.name == f"product_images/{product.pk}/{image.hash}.png"
    assert (image_storage / image.image.name).read_bytes() == RED
    product.refresh_from_db()
    assert product.images == [response.json()["image"]]


def test_uploads_without_an_order_go_last_and_the_list_is_in_order(operator_client, product):
    first = upload(operator_client, product, order=5).json()
    second = upload(operator_client, product, GREEN, "green.jpeg").json()
    third = upload(operator_client, product, image_bytes(color=(1, 2, 3)), "x.png", order=0).json()
    other = upload(operator_client, ProductFactory(), GREEN, "green.jpg").json()

    listed = operator_client.get(PRODUCT_IMAGES, {"product": product.pk, "limit": 100}).json()

    assert (first["order"], second["order"], third["order"]) == (5, 6, 0)
    assert second["source"] is None
    assert listed["count"] == 3
    assert [item["pk"] for item in listed["results"]] == [third["pk"], first["pk"], second["pk"]]
    assert other["pk"] not in [item["pk"] for item in listed["results"]]
    product.refresh_from_db()
    assert product.images == [third["image"], first["image"], second["image"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("red.gif", image_bytes("GIF"), "Upload a .png, .jpg or .jpeg file."),
        ("red", RED, "Upload a .png, .jpg or .jpeg file."),
        ("notes.png", b"just some text", "The file is not an image."),
        ("red.jpg", RED, "The file is a PNG image, not what its name (.jpg) says."),
        ("green.png", GREEN, "The file is a JPEG image, not what its name (.png) says."),
        ("bitmap.png", image_bytes("BMP"), "BMP images are not accepted; send JPEG, PNG."),
        (
            "wide.png",
            image_bytes("PNG", (2001, 4)),
            "The image is 2001×4 pixels; at most 2000×2000 are accepted (MAX_IMAGE_DIMENSIONS).",
        ),
        ("big.png", noise_png(MAX_BYTES + 1), f"The file is larger than {MAX_BYTES} bytes."),
        ("cut.png", image_bytes("PNG", (300, 300))[:-200], "The image could not be decoded"),
    ],
    ids=[
        "gif",
        "no extension",
        "text",
        "png named jpg",
        "jpeg named png",
        "bmp",
        "too wide",
        "too big",
        "truncated",
    ],
)
def test_a_file_that_is_not_an_acceptable_image_is_a_400(
    operator_client, product, image_storage, name, content, message
):
    response = upload(operator_client, product, content, name)

    assert response.status_code == 400
    assert list(response.json()) == ["image"]
    assert response.json()["image"][0].startswith(message)
    assert not ProductImage.objects.exists()
    assert not image_storage.exists() or not any(image_storage.rglob("*.*"))


def test_the_same_content_twice_for_a_product_is_a_400(operator_client, product):
    first = upload(operator_client, product).json()

    again = upload(operator_client, product, name="copy.png")
    elsewhere = upload(operator_client, ProductFactory())

    assert again.status_code == 400
    assert again.json() == {
        "image": [f"The product has this image already (hash {first['hash']})."]
    }
    assert elsewhere.status_code == 201


def test_a_json_body_is_a_400_asking_for_the_file(operator_client, product):
    response = operator_client.post(PRODUCT_IMAGES, {"product": product.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"image": ["No file was submitted."]}


def test_an_unknown_product_is_a_400(operator_client):
    response = operator_client.post(
        PRODUCT_IMAGES,
        {"product": 999999, "image": SimpleUploadedFile("red.png", RED)},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {"product": ['Invalid pk "999999" - object does not exist.']}


def test_multipart_bodies_stay_refused_by_the_other_endpoints(operator_client):
    response = operator_client.post(
        "/omnitron/api/v1/price_list/", {"name": "x", "code": "x"}, format="multipart"
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_patch_reorders_and_hides_an_image(operator_client, product):
    red = upload(operator_client, product).json()
    green = upload(operator_client, product, GREEN, "green.jpg").json()
    url = f"{PRODUCT_IMAGES}{red['pk']}/"

    moved = operator_client.patch(url, {"order": 9, "image_type": "swatch"}, format="json")
    stored_after_the_move = image_body(ProductImage.objects.get(pk=red["pk"]))
    hidden = operator_client.patch(url, {"is_active": False}, format="json")
    product.refresh_from_db()
    published_while_hidden = product.images
    operator_client.patch(url, {"is_active": True}, format="json")
    product.refresh_from_db()

    assert moved.status_code == 200
    assert moved.json() == stored_after_the_move
    assert (moved.json()["order"], moved.json()["image_type"]) == (9, "swatch")
    assert (hidden.json()["is_active"], hidden.json()["status"]) == (False, "disabled")
    assert published_while_hidden == [green["image"]]
    assert product.images == [green["image"], red["image"]]
    assert operator_client.get(PRODUCT_IMAGES, {"status": "disabled"}).json()["count"] == 0


def test_the_product_and_the_file_of_an_image_cannot_be_changed(operator_client, product):
    red = upload(operator_client, product).json()
    url = f"{PRODUCT_IMAGES}{red['pk']}/"

    patched = operator_client.patch(url, {"product": ProductFactory().pk}, format="json")
    put = operator_client.put(url, {"order": 1}, format="json")

    assert patched.status_code == 200
    assert patched.json()["product"] == product.pk
    assert put.status_code == 405


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"order": -1}, {"order": ["Ensure this value is greater than or equal to 0."]}),
        ({"image_type": "main"}, {"image_type": ['"main" is not a valid choice.']}),
        ({"source": "elsewhere"}, {"source": ['"elsewhere" is not a valid choice.']}),
    ],
)
def test_a_bad_patch_is_a_400(operator_client, product, body, errors):
    red = upload(operator_client, product).json()

    response = operator_client.patch(f"{PRODUCT_IMAGES}{red['pk']}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_a_deleted_image_loses_its_file_and_leaves_the_published_list(
    operator_client, product, image_storage, django_capture_on_commit_callbacks
):
    red = upload(operator_client, product).json()
    green = upload(operator_client, product, GREEN, "green.jpg").json()
    name = ProductImage.objects.get(pk=red["pk"]).image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.delete(f"{PRODUCT_IMAGES}{red['pk']}/")

    assert response.status_code == 204
    assert operator_client.get(f"{PRODUCT_IMAGES}{red['pk']}/").status_code == 404
    assert not (image_storage / name).exists()
    product.refresh_from_db()
    assert product.images == [green["image"]]


def test_the_list_filters(operator_client, product):
    red = upload(operator_client, product, source="seller_center").json()
    green = upload(operator_client, product, GREEN, "green.jpg", image_type="swatch").json()
    other = upload(operator_client, ProductFactory(), GREEN, "green.jpg").json()
    operator_client.patch(f"{PRODUCT_IMAGES}{green['pk']}/", {"is_active": False}, format="json")

    def pks(**params):
        response = operator_client.get(PRODUCT_IMAGES, params)
        assert response.status_code == 200
        return [item["pk"] for item in response.json()["results"]]

    assert pks(product__in=f"{product.pk},{other['product']}") == [
        red["pk"],
        green["pk"],
        other["pk"],
    ]
    assert pks(is_active="false") == [green["pk"]]
    assert pks(status="active", product=product.pk) == [red["pk"]]
    assert pks(source="seller_center") == [red["pk"]]
    assert pks(image_type="swatch") == [green["pk"]]
    assert pks(hash=other["hash"]) == [green["pk"], other["pk"]]
    assert pks(pk__in=f"{red['pk']},{other['pk']}") == [red["pk"], other["pk"]]


def test_only_product_image_files_are_served(operator_client, product, client, image_storage):
    red = upload(operator_client, product).json()
    (image_storage / "batches").mkdir(parents=True)
    (image_storage / "batches" / "secret.json").write_text("{}")

    served = client.get(red["image"].removeprefix(PUBLIC_URL))
    batch_file = client.get("/files/batches/secret.json")
    traversal = client.get("/files/product_images/../batches/secret.json")
    missing = client.get(f"/files/product_images/{product.pk}/nothing.png")

    assert served.status_code == 200
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(served.streaming_content) == RED
    assert batch_file.status_code == 404
    assert traversal.status_code == 404
    assert missing.status_code == 404
