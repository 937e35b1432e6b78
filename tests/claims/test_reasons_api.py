"""Cancellation reasons: operators manage them, sales channels read them."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from pazar.claims.models import CancellationReason
from tests.channels.factories import ChannelFactory
from tests.factories import OperatorFactory, operator_token

from .factories import CancellationReasonFactory

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/"
FIELDS = ["pk", "id", "cancellation_type", "subject", "order", "is_active",
          "extra_information_needed", "send_to_remote", "send_to_oms", "translations",
          "created_date", "modified_date"]  # fmt: skip


def test_an_operator_creates_changes_and_deletes_a_reason(operator_client):
    created = operator_client.post(
        f"{V1}cancellation_reasons/",
        {"cancellation_type": "refund", "subject": "Damaged", "order": 2,
         "extra_information_needed": True, "translations": {"tr-tr": {"subject": "Hasarlı"}}},
        format="json",
    )  # fmt: skip
    pk = created.json()["pk"]
    changed = operator_client.patch(
        f"{V1}cancellation_reasons/{pk}/", {"is_active": False}, format="json"
    )
    read = operator_client.get(f"{V1}cancellation_reasons/{pk}/")
    deleted = operator_client.delete(f"{V1}cancellation_reasons/{pk}/")

    assert created.status_code == 201
    assert list(created.json()) == FIELDS
    assert {k: created.json()[k] for k in ("cancellation_type", "subject", "order",
            "is_active", "extra_information_needed", "send_to_remote", "translations")} == {
        "cancellation_type": "refund", "subject": "Damaged", "order": 2, "is_active": True,
        "extra_information_needed": True, "send_to_remote": False,
        "translations": {"tr-tr": {"subject": "Hasarlı"}},
    }  # fmt: skip
    assert changed.json()["is_active"] is False
    assert read.json()["translations"] == {"tr-tr": {"subject": "Hasarlı"}}
    assert deleted.status_code == 204
    assert not CancellationReason.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"cancellation_type": "exchange", "subject": "x"},
        {"cancellation_type": "cancel", "subject": "x" * 101},
        {"cancellation_type": "cancel"},
        {"cancellation_type": "cancel", "subject": "x", "translations": {"tr-tr": "x"}},
    ],
)
def test_a_bad_reason_is_a_400_naming_the_field(operator_client, body):
    response = operator_client.post(f"{V1}cancellation_reasons/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) <= {"cancellation_type", "subject", "translations"}
    assert response.json()
    assert not CancellationReason.objects.exists()


def test_reasons_filter_by_type_and_list_in_their_order(operator_client):
    late = CancellationReasonFactory(cancellation_type="cancel", order=5)
    early = CancellationReasonFactory(cancellation_type="cancel", order=1)
    CancellationReasonFactory(cancellation_type="refund")

    response = operator_client.get(f"{V1}cancellation_reasons/?cancellation_type=cancel")

    assert [row["pk"] for row in response.json()["results"]] == [early.pk, late.pk]


def test_a_sales_channel_reads_the_reasons(operator_client):
    reason = CancellationReasonFactory(subject="Changed my mind")
    channel = ChannelFactory()

    listed = operator_client.get(f"{V1}channel/{channel.pk}/cancellation_reasons/")
    one = operator_client.get(f"{V1}channel/{channel.pk}/cancellation_reasons/{reason.pk}/")
    refused = operator_client.post(
        f"{V1}channel/{channel.pk}/cancellation_reasons/",
        {"cancellation_type": "cancel", "subject": "x"}, format="json",
    )  # fmt: skip
    missing = operator_client.get(f"{V1}channel/{channel.pk + 1000}/cancellation_reasons/")

    assert [row["subject"] for row in listed.json()["results"]] == ["Changed my mind"]
    assert one.json()["pk"] == reason.pk
    assert refused.status_code == 405
    assert missing.status_code == 404


def test_reasons_need_their_model_permissions():
    operator = OperatorFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(operator)}")

    denied = client.get(f"{V1}cancellation_reasons/")
    operator.user_permissions.add(Permission.objects.get(codename="view_cancellationreason"))
    allowed = client.get(f"{V1}cancellation_reasons/")
    create_denied = client.post(
        f"{V1}cancellation_reasons/", {"cancellation_type": "cancel", "subject": "x"}
    )

    assert denied.status_code == 403
    assert allowed.status_code == 200
    assert create_denied.status_code == 403
