"""The Django admin of applications and their permissions."""

import pytest
from django.test import Client

from pazar.applications.models import Application, ApplicationPermission
from tests.applications.factories import ApplicationFactory, ApplicationPermissionFactory
from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return OperatorFactory(is_superuser=True)


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_the_application_pages_render(admin_client):
    application = ApplicationFactory(name="Marketplace X")
    permission = ApplicationPermissionFactory(application=application)

    pages = [
        "/admin/applications/application/",
        "/admin/applications/application/?is_proxy_available__exact=0",
        "/admin/applications/application/add/",
        f"/admin/applications/application/{application.pk}/change/",
        "/admin/applications/applicationpermission/",
        f"/admin/applications/applicationpermission/{permission.pk}/change/",
    ]

    for page in pages:
        assert admin_client.get(page).status_code == 200, page
    change = admin_client.get(f"/admin/applications/application/{application.pk}/change/")
    assert application.proxy_secret in change.content.decode()  # read-only, for operators


def admin_form(**fields) -> dict:
    return {
        "name": "Plugin",
        "application_type": "ui-protocol",
        "config": '{"web_url": "https://plugin.example/"}',
        "related_application_id": "",
        "remote_object_id": "",
        "permissions-TOTAL_FORMS": "0",
        "permissions-INITIAL_FORMS": "0",
        **fields,
    }


def test_an_application_added_in_the_admin_gets_the_api_defaults(admin_client, superuser):
    response = admin_client.post("/admin/applications/application/add/", admin_form())

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.config == {"web_url": "https://plugin.example/", "visible_type": "empty"}
    assert application.created_by == superuser.pk
    assert len(application.proxy_secret) == 64


def test_the_admin_refuses_an_invalid_config(admin_client):
    response = admin_client.post(
        "/admin/applications/application/add/",
        admin_form(config='{"web_url": "ftp://x.example/", "visible_type": "modal"}'),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "config": [
            "web_url: Enter a valid http(s) URL.",
            'visible_type: "modal" is not a valid choice.',
        ]
    }
    assert not Application.objects.exists()


def test_the_admin_refuses_a_parent_from_another_application(admin_client):
    foreign = ApplicationPermissionFactory()
    application = ApplicationFactory()

    response = admin_client.post(
        "/admin/applications/applicationpermission/add/",
        {"application": application.pk, "parent": foreign.pk, "name": "x", "path": "", "label": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": ["The parent must be a permission of the same application."]
    }
    assert ApplicationPermission.objects.count() == 1
