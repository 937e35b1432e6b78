"""Who may use the image and dynamic-settings endpoints: Django model permissions, as every
Omnitron endpoint (the list reads and creates are in tests/api/test_omnitron_permissions.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from pazar.core.services import dynamic_setting_set
from pazar.images import services
from tests.factories import ProductFactory, operator_token, staff_with_perms
from tests.images.helpers import DOWNLOADS, PRODUCT_IMAGES, image_bytes

pytestmark = pytest.mark.django_db

SETTINGS = "/omnitron/api/v1/dynamic_settings/"


def client_for(*perms) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(staff_with_perms(*perms))}")
    return client


@pytest.fixture
def product_image(image_storage):
    upload = SimpleUploadedFile("red.png", image_bytes())
    return services.product_image_create(product=ProductFactory(), image=upload)


def test_changing_and_deleting_an_image_need_their_own_permissions(product_image):
    url = f"{PRODUCT_IMAGES}{product_image.pk}/"
    viewer = client_for("images.view_productimage")
    changer = client_for("images.view_productimage", "images.change_productimage")
    deleter = client_for("images.view_productimage", "images.delete_productimage")

    assert viewer.get(url).status_code == 200
    assert viewer.patch(url, {"order": 1}, format="json").status_code == 403
    assert changer.patch(url, {"order": 1}, format="json").status_code == 200
    assert changer.delete(url).status_code == 403
    assert deleter.delete(url).status_code == 204


def test_uploading_an_image_needs_the_add_permission(image_storage):
    product = ProductFactory()
    body = {"product": product.pk, "image": SimpleUploadedFile("red.png", image_bytes())}
    viewer = client_for("images.view_productimage")
    adder = client_for("images.view_productimage", "images.add_productimage")

    assert viewer.post(PRODUCT_IMAGES, body, format="multipart").status_code == 403
    body["image"].seek(0)
    assert adder.post(PRODUCT_IMAGES, body, format="multipart").status_code == 201


def test_replacing_images_and_reading_the_download_need_the_download_permissions():
    ProductFactory(seller=None, sku="SKU1")
    body = {"product_sku": "SKU1", "images": []}
    images_only = client_for(
        "images.add_productimage", "images.change_productimage", "images.delete_productimage"
    )
    adder = client_for("images.add_imagedownload")
    viewer = client_for("images.view_imagedownload")

    denied = images_only.post(DOWNLOADS, body, format="json")
    accepted = adder.post(DOWNLOADS, body, format="json")
    url = f"{DOWNLOADS}{accepted.json()['pk']}/"

    assert denied.status_code == 403
    assert accepted.status_code == 202
    assert adder.get(url).status_code == 403
    assert viewer.get(url).status_code == 200


def test_setting_and_deleting_a_dynamic_setting_need_their_own_permissions():
    body = {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 10, "HEIGHT": 10}}
    viewer = client_for("core.view_dynamicsetting")
    adder = client_for("core.view_dynamicsetting", "core.add_dynamicsetting")
    deleter = client_for("core.view_dynamicsetting", "core.delete_dynamicsetting")

    assert viewer.post(SETTINGS, body, format="json").status_code == 403
    assert adder.post(SETTINGS, {}, format="json").status_code == 400
    assert adder.post(SETTINGS, body, format="json").status_code == 201
    setting, _ = dynamic_setting_set(key="MAX_IMAGE_DIMENSIONS", value={"WIDTH": 5, "HEIGHT": 5})
    assert adder.delete(f"{SETTINGS}{setting.pk}/").status_code == 403
    assert deleter.delete(f"{SETTINGS}{setting.pk}/").status_code == 204
