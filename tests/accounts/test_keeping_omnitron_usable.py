"""Omnitron stays usable: the last active superuser cannot be deactivated, deleted or demoted,
and an operator does not deactivate or delete themselves — through the users API
(`/omnitron/api/v1/users/`) and the services the admin uses (tests/accounts/test_admin.py)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

from pazar.accounts import services
from pazar.core.errors import ApplicationError
from tests.factories import OperatorFactory, operator_token, staff_with_perms

User = get_user_model()
USERS = "/omnitron/api/v1/users/"
ACTIVE_USER = "/omnitron/api/v1/active_user/"
LAST_SUPERUSER = {
    "detail": "At least one active superuser must remain: "
    "make another user an active superuser first.",
    "code": "last_active_superuser",
}
SELF = {
    "detail": "You cannot deactivate or delete your own account; another operator can.",
    "code": "self_deactivation",
}


def client_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def standing(user) -> tuple[bool, bool]:
    user.refresh_from_db()
    return user.is_active, user.is_superuser


# --- deactivating oneself -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("delete", None),
        ("patch", {"is_active": False}),
        ("put", {"username": "me", "is_active": False}),
    ],
)
@pytest.mark.parametrize("is_superuser", [True, False])
def test_an_operator_cannot_deactivate_themselves(method, body, is_superuser):
    OperatorFactory(is_superuser=True)  # another superuser: only the self rule applies
    me = staff_with_perms(
        "auth.view_user", "auth.change_user", username="me", is_superuser=is_superuser
    )
    client = client_for(me)

    response = getattr(client, method)(f"{USERS}{me.pk}/", body, format="json")

    assert (response.status_code, response.json()) == (403, SELF)
    assert standing(me) == (True, is_superuser)
    assert Token.objects.filter(user=me).exists()
    assert client.get(ACTIVE_USER).status_code == 200


@pytest.mark.django_db
def test_another_operator_deactivates_them():
    me = OperatorFactory(is_superuser=True)
    other = client_for(OperatorFactory(is_superuser=True))

    response = other.delete(f"{USERS}{me.pk}/")

    assert response.status_code == 204
    assert standing(me) == (False, True)


@pytest.mark.django_db
def test_an_operator_still_changes_their_other_fields():
    me = OperatorFactory(is_superuser=True, first_name="")

    response = client_for(me).patch(
        f"{USERS}{me.pk}/", {"first_name": "Ayşe", "is_active": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["first_name"] == "Ayşe"


# --- the last active superuser --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("patch", {"is_superuser": False}),
        ("put", {"username": "root", "is_superuser": False}),
    ],
)
def test_the_last_active_superuser_cannot_give_up_superuser_status(method, body):
    root = OperatorFactory(username="root", is_superuser=True)
    OperatorFactory(is_superuser=True, is_active=False)  # an inactive superuser does not count
    OperatorFactory(is_superuser=False)

    response = getattr(client_for(root), method)(f"{USERS}{root.pk}/", body, format="json")

    assert (response.status_code, response.json()) == (409, LAST_SUPERUSER)
    assert standing(root) == (True, True)


@pytest.mark.django_db
def test_with_two_superusers_one_may_step_down_and_then_the_other_may_not():
    first = OperatorFactory(is_superuser=True)
    second = OperatorFactory(is_superuser=True)

    stepped_down = client_for(first).patch(
        f"{USERS}{first.pk}/", {"is_superuser": False}, format="json"
    )
    refused = client_for(second).patch(
        f"{USERS}{second.pk}/", {"is_superuser": False}, format="json"
    )

    assert stepped_down.status_code == 200
    assert (refused.status_code, refused.json()) == (409, LAST_SUPERUSER)
    assert (standing(first), standing(second)) == ((True, False), (True, True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{"is_active": False}, {"is_superuser": False}, {"is_active": False, "is_superuser": True}],
)
def test_the_service_refuses_losing_the_last_active_superuser_whoever_asks(data):
    root = OperatorFactory(is_superuser=True)
    # An actor the API would stop earlier (a staff user may not change a superuser there), as
    # the admin lets through: the rule is the service's, not the view's.
    staff = staff_with_perms("auth.change_user")

    with pytest.raises(ApplicationError) as refused:
        services.operator_user_change_check(
            actor=staff,
            user=root,
            is_active=data.get("is_active", True),
            is_superuser=data.get("is_superuser", True),
        )

    assert refused.value.status_code == 409
    assert refused.value.get_codes() == "last_active_superuser"


@pytest.mark.django_db
def test_the_last_superuser_may_be_reactivated_and_other_users_deactivated():
    root = OperatorFactory(is_superuser=True)
    client = client_for(root)
    staff = OperatorFactory()

    off = client.delete(f"{USERS}{staff.pk}/")
    on = client.patch(f"{USERS}{staff.pk}/", {"is_active": True}, format="json")
    promoted = client.patch(f"{USERS}{staff.pk}/", {"is_superuser": True}, format="json")
    then_root_steps_down = client.patch(
        f"{USERS}{root.pk}/", {"is_superuser": False}, format="json"
    )

    assert (off.status_code, on.status_code, promoted.status_code) == (204, 200, 200)
    assert then_root_steps_down.status_code == 200
    assert standing(staff) == (True, True)


# --- deleting (the admin's delete) ----------------------------------------------------------


@pytest.mark.django_db
def test_deleting_the_last_active_superuser_is_refused_and_deletes_nothing():
    root = OperatorFactory(is_superuser=True)
    staff = staff_with_perms("auth.delete_user")
    plain = OperatorFactory()

    with pytest.raises(ApplicationError) as refused:
        services.operator_users_delete(actor=staff, users=[root, plain])

    assert (refused.value.status_code, refused.value.get_codes()) == (409, "last_active_superuser")
    assert User.objects.filter(pk__in=[root.pk, plain.pk]).count() == 2


@pytest.mark.django_db
def test_deleting_oneself_is_refused():
    me = OperatorFactory(is_superuser=True)
    OperatorFactory(is_superuser=True)

    with pytest.raises(ApplicationError) as refused:
        services.operator_users_delete(actor=me, users=[me])

    assert (refused.value.status_code, refused.value.get_codes()) == (403, "self_deactivation")
    assert User.objects.filter(pk=me.pk).exists()


@pytest.mark.django_db
def test_deleting_a_superuser_while_another_remains_works():
    me = OperatorFactory(is_superuser=True)
    other = OperatorFactory(is_superuser=True)

    assert services.operator_users_delete(actor=me, users=[other]) == 1
    assert not User.objects.filter(pk=other.pk).exists()


# --- two operators at once ------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_the_last_two_superusers_stepping_down_at_once_leave_one(transactional_db, round_):
    """Each demotes the other at the same moment: one is served, the other refused."""
    first = OperatorFactory(is_superuser=True)
    second = OperatorFactory(is_superuser=True)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def demote(actor, user, name: str) -> None:
        try:
            start.wait(timeout=10)
            services.operator_user_update(actor=actor, user=user, data={"is_superuser": False})
            outcomes[name] = "demoted"
        except ApplicationError as error:
            outcomes[name] = error.get_codes()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, User.objects.get(pk=second.pk), "second")),
        threading.Thread(target=demote, args=(second, User.objects.get(pk=first.pk), "first")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["demoted", "last_active_superuser"]
    assert User.objects.filter(is_superuser=True, is_active=True).count() == 1
