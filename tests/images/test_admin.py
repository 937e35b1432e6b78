"""The Django admin of product images: changes go through the services, so `status` and the
product's published image list follow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pazar.images import services
from pazar.images.models import ProductImage
from tests.factories import OperatorFactory, ProductFactory
from tests.images.helpers import image_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/images/productimage/"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    return client


@pytest.fixture
def product_images(image_storage):
    product = ProductFactory(sku="RED-TEE")
    return [
        services.product_image_create(
            product=product, image=SimpleUploadedFile(f"{n}.png", image_bytes(color=(n, 0, 0)))
        )
        for n in range(2)
    ]


def test_the_image_list_searches_by_sku_and_offers_no_add_button(admin_client, product_images):
    ProductFactory(sku="BLUE-TEE")

    response = admin_client.get(CHANGELIST, {"q": "RED-TEE"})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    assert b"/admin/images/productimage/add/" not in response.content
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


def test_hiding_an_image_in_the_admin_disables_it_and_unpublishes_it(admin_client, product_images):
    first, second = product_images

    response = admin_client.post(
        f"{CHANGELIST}{first.pk}/change/",
        {"order": 7, "image_type": "swatch", "source": "", "is_active": ""},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.order, first.image_type, first.is_active, first.status) == (
        7,
        "swatch",
        False,
        "disabled",
    )
    first.product.refresh_from_db()
    assert first.product.images == [second.image.url]


def test_deleting_images_in_the_admin_unpublishes_them(admin_client, product_images):
    first, second = product_images

    admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )

    assert list(ProductImage.objects.values_list("pk", flat=True)) == [second.pk]
    second.product.refresh_from_db()
    assert second.product.images == [second.image.url]
