"""Omnitron applications: create, read, filter, update, soft delete (seed 003, omnitron.md §3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pazar.applications.models import Application, ApplicationType
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = "/omnitron/api/v1/applications/"
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def detail(application: Application) -> str:
    return f"{APPLICATIONS}{application.pk}/"


def application_body(application: Application) -> dict:
    application.refresh_from_db()
    return {
        "id": application.pk,
        "name": application.name,
        "application_type": application.application_type,
        "config": application.config,
        "is_active": application.is_active,
        "remote_object_id": application.remote_object_id,
        "created_by": application.created_by,
        "is_visible": application.is_visible,
        "is_proxy_available": application.is_proxy_available,
        "related_application_id": application.related_application_id,
        "created_date": iso(application.created_at),
        "modified_date": iso(application.updated_at),
    }


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


# --- create ---------------------------------------------------------------------------------


def test_an_application_is_created_with_its_defaults_and_the_caller_as_creator(
    operator, operator_client
):
    response = operator_client.post(
        APPLICATIONS, {"name": "Marketplace X", "application_type": "sales-channel"}
    )

    assert response.status_code == 201
    application = Application.objects.get()
    assert response.json() == application_body(application)
    assert response.json() | {"id": 0, "created_date": "", "modified_date": ""} == {
        "id": 0,
        "name": "Marketplace X",
        "application_type": "sales-channel",
        "config": {"visible_type": "empty"},
        "is_active": True,
        "remote_object_id": None,
        "created_by": operator.pk,
        "is_visible": False,
        "is_proxy_available": False,
        "related_application_id": None,
        "created_date": "",
        "modified_date": "",
    }


def test_every_field_is_stored_as_sent(operator_client):
    body = {
        "name": "UI plugin",
        "application_type": "ui-protocol",
        "config": {
            "web_url": "http://plugin.example/base/",
            "visible_type": "plugin",
            "client_path": "plugin",
            "anything": {"else": [1, 2]},
        },
        "is_active": False,
        "remote_object_id": 77,
        "created_by": 12345,
        "is_visible": True,
        "is_proxy_available": True,
        "related_application_id": "EXT-991",
    }

    response = operator_client.post(APPLICATIONS, body, format="json")

    assert response.status_code == 201
    assert {key: response.json()[key] for key in body} == body


def test_a_config_without_visible_type_is_stored_as_empty_and_null_stays_null(operator_client):
    with_url = operator_client.post(
        APPLICATIONS,
        {"name": "A", "application_type": "oms", "config": {"web_url": "https://a.example/"}},
        format="json",
    )
    null = operator_client.post(
        APPLICATIONS, {"name": "B", "application_type": "oms", "config": None}, format="json"
    )

    assert with_url.json()["config"] == {"web_url": "https://a.example/", "visible_type": "empty"}
    assert null.status_code == 201
    assert null.json()["config"] is None


def test_ids_and_dates_sent_by_the_client_are_ignored(operator_client):
    response = operator_client.post(
        APPLICATIONS,
        {
            "id": 999,
            "name": "A",
            "application_type": "oms",
            "created_date": "2001-01-01T00:00:00Z",
            "modified_date": "2001-01-02T00:00:00Z",
        },
        format="json",
    )

    application = Application.objects.get()
    assert response.status_code == 201
    assert application.pk != 999
    assert response.json()["id"] == application.pk
    assert timezone.now() - application.created_at < timedelta(minutes=1)
    assert response.json()["created_date"] == iso(application.created_at)


@pytest.mark.parametrize("application_type", ApplicationType.values)
def test_every_application_type_of_the_spec_is_accepted(operator_client, application_type):
    response = operator_client.post(
        APPLICATIONS, {"name": "A", "application_type": application_type}
    )

    assert response.status_code == 201
    assert response.json()["application_type"] == application_type


def test_the_spec_lists_eighteen_application_types():
    assert sorted(ApplicationType.values) == sorted(
        [
            "oms",
            "instore",
            "commerce",
            "zero",
            "live-commerce",
            "live-commerce-landing-page",
            "omnitron-frontend",
            "sales-channel",
            "bi-tool",
            "integrator",
            "ui-protocol",
            "invoicer",
            "extension",
            "seller_center_be",
            "seller_center_fe",
            "cargo_extension",
            "b2b_extension",
            "integration",
        ]
    )


VALID = {"name": "A", "application_type": "extension"}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"application_type": "oms"}, {"name": ["This field is required."]}),
        ({**VALID, "name": ""}, {"name": ["This field may not be blank."]}),
        ({**VALID, "name": None}, {"name": ["This field may not be null."]}),
        (
            {**VALID, "name": "x" * 101},
            {"name": ["Ensure this field has no more than 100 characters."]},
        ),
        ({"name": "A"}, {"application_type": ["This field is required."]}),
        (
            {**VALID, "application_type": "marketplace"},
            {"application_type": ['"marketplace" is not a valid choice.']},
        ),
        (
            {**VALID, "application_type": "Sales-Channel"},
            {"application_type": ['"Sales-Channel" is not a valid choice.']},
        ),
        ({**VALID, "config": [1, 2]}, {"config": ["Expected a JSON object or null."]}),
        ({**VALID, "config": "web_url"}, {"config": ["Expected a JSON object or null."]}),
        (
            {**VALID, "config": {"web_url": "ftp://files.example/"}},
            {"config": {"web_url": ["Enter a valid http(s) URL."]}},
        ),
        (
            {**VALID, "config": {"web_url": "not a url"}},
            {"config": {"web_url": ["Enter a valid http(s) URL."]}},
        ),
        (
            {**VALID, "config": {"web_url": 42}},
            {"config": {"web_url": ["Enter a valid http(s) URL."]}},
        ),
        (
            {**VALID, "config": {"visible_type": "popup"}},
            {"config": {"visible_type": ['"popup" is not a valid choice.']}},
        ),
        (
            {**VALID, "config": {"client_path": 3}},
            {"config": {"client_path": ["Not a valid string."]}},
        ),
        (
            {**VALID, "related_application_id": "x" * 256},
            {"related_application_id": ["Ensure this field has no more than 255 characters."]},
        ),
        (
            {**VALID, "remote_object_id": "abc"},
            {"remote_object_id": ["A valid integer is required."]},
        ),
        (
            {**VALID, "remote_object_id": 2**63},
            {
                "remote_object_id": [
                    "Ensure this value is less than or equal to 9223372036854775807."
                ]
            },
        ),
        ({**VALID, "created_by": "me"}, {"created_by": ["A valid integer is required."]}),
        (
            {**VALID, "created_by": 0},
            {"created_by": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({**VALID, "is_visible": "maybe"}, {"is_visible": ["Must be a valid boolean."]}),
        (
            {**VALID, "is_proxy_available": None},
            {"is_proxy_available": ["This field may not be null."]},
        ),
        ({**VALID, "is_active": "sometimes"}, {"is_active": ["Must be a valid boolean."]}),
    ],
)
def test_invalid_applications_are_refused_field_by_field(operator_client, body, errors):
    response = operator_client.post(APPLICATIONS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Application.objects.exists()


def test_valid_edge_values_are_accepted(operator_client):
    response = operator_client.post(
        APPLICATIONS,
        {
            "name": "x" * 100,
            "application_type": "integration",
            "config": {"web_url": "http://app.example:8080/a/b?c=d", "visible_type": "fullpage"},
            "related_application_id": "x" * 255,
            "remote_object_id": None,
            "created_by": None,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["created_by"] is None


def test_a_body_that_is_not_json_is_a_400(operator_client):
    response = operator_client.post(APPLICATIONS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


# --- read and filter ------------------------------------------------------------------------


def test_an_application_is_read_by_id(operator_client):
    application = ApplicationFactory(remote_object_id=5, related_application_id="app-1")

    response = operator_client.get(detail(application))

    assert response.status_code == 200
    assert response.json() == application_body(application)


def test_an_unknown_application_is_a_404(operator_client):
    response = operator_client.get(f"{APPLICATIONS}424242/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_the_list_is_paginated_by_page_and_limit_in_id_order(operator_client):
    for number in range(12):
        ApplicationFactory(name=f"app {number:02}")

    first = operator_client.get(APPLICATIONS)
    last = operator_client.get(APPLICATIONS, {"page": 3, "limit": 5})

    assert first.status_code == 200
    assert first.json()["count"] == 12
    assert names(first) == [f"app {number:02}" for number in range(10)]
    assert first.json()["next"] == "http://testserver/omnitron/api/v1/applications/?page=2"
    assert first.json()["previous"] is None
    assert names(last) == ["app 10", "app 11"]
    assert last.json()["next"] is None


@pytest.fixture
def catalogue():
    ApplicationFactory(
        name="Marketplace X", application_type="sales-channel", related_application_id="EXT-991"
    )
    ApplicationFactory(name="marketplace y", application_type="sales-channel", is_active=False)
    ApplicationFactory(
        name="Invoices", application_type="invoicer", related_application_id="ext-100"
    )
    ApplicationFactory(name="Plugin", application_type="ui-protocol", is_active=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "Invoices"}, ["Invoices"]),
        ({"name": "invoices"}, []),
        ({"name__exact": "Plugin"}, ["Plugin"]),
        ({"name__contains": "arket"}, ["Marketplace X", "marketplace y"]),
        ({"name__contains": "Market"}, ["Marketplace X"]),
        ({"name__icontains": "MARKET"}, ["Marketplace X", "marketplace y"]),
        ({"application_type": "sales-channel"}, ["Marketplace X", "marketplace y"]),
        ({"application_type": "ui-protocol"}, ["Plugin"]),
        ({"is_active": "true"}, ["Marketplace X", "Invoices"]),
        ({"is_active": "True"}, ["Marketplace X", "Invoices"]),
        ({"is_active": "false"}, ["marketplace y", "Plugin"]),
        ({"is_active": "False"}, ["marketplace y", "Plugin"]),
        ({"related_application_id__iexact": "ext-991"}, ["Marketplace X"]),
        ({"related_application_id__iexact": "EXT-100"}, ["Invoices"]),
        ({"related_application_id__iexact": "ext-9"}, []),
        ({"application_type": "sales-channel", "is_active": "true"}, ["Marketplace X"]),
    ],
)
def test_the_seeds_filters(operator_client, catalogue, query, expected):
    response = operator_client.get(APPLICATIONS, query)

    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


def test_an_unknown_application_type_filter_is_a_400(operator_client, catalogue):
    response = operator_client.get(APPLICATIONS, {"application_type": "marketplace"})

    assert response.status_code == 400
    assert response.json() == {
        "application_type": [
            "Select a valid choice. marketplace is not one of the available choices."
        ]
    }


def test_applications_filter_by_id_and_dates_as_every_omnitron_list(operator_client):
    old = ApplicationFactory(name="old")
    Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    new = ApplicationFactory(name="new")

    by_ids = operator_client.get(APPLICATIONS, {"pk__in": f"{old.pk},{new.pk}"})
    recent = operator_client.get(
        APPLICATIONS, {"created_date__gt": iso(timezone.now() - timedelta(days=1))}
    )

    assert names(by_ids) == ["old", "new"]
    assert names(recent) == ["new"]


# --- update ---------------------------------------------------------------------------------


def test_put_replaces_the_fields_sent(operator_client):
    application = ApplicationFactory(name="Old", application_type="oms", remote_object_id=1)

    response = operator_client.put(
        detail(application),
        {
            "name": "New",
            "application_type": "instore",
            "config": {"web_url": "https://new.example/"},
            "is_visible": True,
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == application_body(application)
    assert response.json()["name"] == "New"
    assert response.json()["application_type"] == "instore"
    assert response.json()["config"] == {"web_url": "https://new.example/", "visible_type": "empty"}
    assert response.json()["is_visible"] is True
    assert response.json()["remote_object_id"] == 1


def test_put_needs_the_name_and_type(operator_client):
    application = ApplicationFactory()

    response = operator_client.put(detail(application), {"is_visible": True}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "name": ["This field is required."],
        "application_type": ["This field is required."],
    }


def test_patch_changes_only_the_fields_sent_and_keeps_the_creator(operator_client):
    application = ApplicationFactory(name="Keep", created_by=77, is_proxy_available=False)
    before = application_body(application)

    response = operator_client.patch(
        detail(application),
        {"is_proxy_available": True, "modified_date": "2001-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["is_proxy_available"] is True
    assert response.json()["name"] == "Keep"
    assert response.json()["created_by"] == 77
    assert response.json()["created_date"] == before["created_date"]
    assert response.json()["modified_date"] >= before["modified_date"]
    assert not response.json()["modified_date"].startswith("2001")


def test_patch_validates_like_create(operator_client):
    application = ApplicationFactory()

    response = operator_client.patch(
        detail(application),
        {"application_type": "unknown", "config": {"visible_type": "modal"}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "application_type": ['"unknown" is not a valid choice.'],
        "config": {"visible_type": ['"modal" is not a valid choice.']},
    }


# --- soft delete ----------------------------------------------------------------------------


def test_delete_deactivates_the_application_and_keeps_it(operator_client):
    application = ApplicationFactory(name="Gone")

    response = operator_client.delete(detail(application))
    again = operator_client.delete(detail(application))
    read = operator_client.get(detail(application))
    inactive = operator_client.get(APPLICATIONS, {"is_active": "false"})
    active = operator_client.get(APPLICATIONS, {"is_active": "true"})

    assert response.status_code == 204
    assert response.content == b""
    assert again.status_code == 204
    assert read.status_code == 200
    assert read.json()["is_active"] is False
    assert names(inactive) == ["Gone"]
    assert names(active) == []
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_soft_deleted_application_can_be_activated_again(operator_client):
    application = ApplicationFactory(is_active=False)

    response = operator_client.patch(detail(application), {"is_active": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_active"] is True


def test_deleting_an_unknown_application_is_a_404(operator_client):
    response = operator_client.delete(f"{APPLICATIONS}424242/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- the proxy signing key ------------------------------------------------------------------


def test_each_application_gets_its_own_signing_key_readable_and_rotatable(operator_client):
    first = ApplicationFactory()
    second = ApplicationFactory()
    url = f"{detail(first)}proxy_secret/"

    read = operator_client.get(url)
    rotated = operator_client.post(url)

    assert read.status_code == 200
    assert read.json() == {"id": first.pk, "proxy_secret": first.proxy_secret}
    assert len(first.proxy_secret) == 64
    assert first.proxy_secret != second.proxy_secret
    assert rotated.status_code == 200
    first.refresh_from_db()
    assert rotated.json() == {"id": first.pk, "proxy_secret": first.proxy_secret}
    assert first.proxy_secret != read.json()["proxy_secret"]


def test_the_signing_key_is_never_part_of_the_application(operator_client):
    application = ApplicationFactory()

    listed = operator_client.get(APPLICATIONS).json()["results"][0]
    read = operator_client.get(detail(application)).json()

    assert "proxy_secret" not in listed
    assert application.proxy_secret not in str(read)
