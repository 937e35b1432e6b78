"""v1 product videos (omnitron.md §6): .mp4 uploads with a size cap, reordering, showing and
hiding, deleting; `Product.videos` follows every change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pazar.images.models import ProductVideo
from tests.factories import ProductFactory
from tests.images.helpers import image_bytes

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://pazar.example.com"
VIDEOS = "/omnitron/api/v1/product_video/"
MAX_BYTES = 4096


def mp4(payload: bytes = b"") -> bytes:
    """The opening of an MP4 file: its `ftyp` box, then a `free` box carrying `payload`."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + (8 + len(payload)).to_bytes(4, "big") + b"free" + payload


@pytest.fixture(autouse=True)
def _settings(settings, image_storage):
    settings.PAZAR_PUBLIC_URL = PUBLIC_URL
    settings.PAZAR_VIDEO_MAX_BYTES = MAX_BYTES


@pytest.fixture
def product():
    return ProductFactory(seller=None, live=True)


def upload(client, product, content=None, name="clip.mp4", **fields):
    content = mp4() if content is None else content
    return client.post(
        VIDEOS,
        {"product": product.pk, "video": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def test_an_uploaded_mp4_is_stored_listed_and_published(operator_client, product, image_storage):
    response = upload(operator_client, product, source="unified")
    second = upload(operator_client, product, mp4(b"other")).json()

    assert response.status_code == 201
    video = ProductVideo.objects.get(pk=response.json()["pk"])
    body = response.json()
    assert body == {
        "pk": video.pk,
        "id": video.pk,
        "product": product.pk,
        "video": f"{PUBLIC_URL}/files/product_videos/{product.pk}/{video.hash}.mp4",
        "order": 0,
        "source": "unified",
        "status": "active",
        "is_active": True,
        "size": len(mp4()),
        "hash": video.hash,
        "created_date": body["created_date"],
        "modified_date": body["modified_date"],
    }
    assert second["order"] == 1
    assert (image_storage / video.video.name).read_bytes() == mp4()
    listed = operator_client.get(VIDEOS, {"product": product.pk}).json()
    assert [item["pk"] for item in listed["results"]] == [video.pk, second["pk"]]
    product.refresh_from_db()
    assert product.videos == [body["video"], second["video"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("clip.mov", mp4(), "Upload an .mp4 file."),
        ("clip.mp4", b"not a video at all", "The file is not an MP4 video."),
        ("photo.mp4", image_bytes(), "The file is not an MP4 video."),
        ("photo.mp4", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16, "The file is not an MP4 video."),
        ("big.mp4", mp4(b"\x00" * MAX_BYTES), f"The file is larger than {MAX_BYTES} bytes."),
    ],
    ids=["mov", "text", "png", "heic", "too big"],
)
def test_a_file_that_is_not_an_acceptable_video_is_a_400(
    operator_client, product, name, content, message
):
    response = upload(operator_client, product, content, name)

    assert response.status_code == 400
    assert response.json() == {"video": [message]}
    assert not ProductVideo.objects.exists()


def test_the_same_video_twice_for_a_product_is_a_400(operator_client, product):
    first = upload(operator_client, product).json()

    again = upload(operator_client, product)

    assert again.status_code == 400
    assert again.json() == {
        "video": [f"The product has this video already (hash {first['hash']})."]
    }


def test_a_patch_hides_and_reorders_and_a_delete_removes_the_file(
    operator_client, product, image_storage, django_capture_on_commit_callbacks
):
    first = upload(operator_client, product).json()
    second = upload(operator_client, product, mp4(b"other")).json()
    url = f"{VIDEOS}{first['pk']}/"

    hidden = operator_client.patch(url, {"is_active": False, "order": 5}, format="json")
    product.refresh_from_db()
    published_while_hidden = product.videos
    name = ProductVideo.objects.get(pk=first["pk"]).video.name
    with django_capture_on_commit_callbacks(execute=True):
        deleted = operator_client.delete(url)

    assert hidden.status_code == 200
    assert (hidden.json()["status"], hidden.json()["order"]) == ("disabled", 5)
    assert published_while_hidden == [second["video"]]
    assert deleted.status_code == 204
    assert not (image_storage / name).exists()
    assert operator_client.put(f"{VIDEOS}{second['pk']}/", {}, format="json").status_code == 405


def test_a_stored_video_is_served(operator_client, product, client):
    video = upload(operator_client, product).json()

    response = client.get(video["video"].removeprefix(PUBLIC_URL))

    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == mp4()
