import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import (
    OperatorFactory,
    SellerFactory,
    SellerMembershipFactory,
    UserFactory,
    staff_with_perms,
)

User = get_user_model()

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(OperatorFactory(username="root", is_superuser=True))
    return client


def test_the_user_list_shows_each_seller_users_seller(admin_client):
    SellerMembershipFactory(user=UserFactory(username="shop"), seller=SellerFactory(name="Acme"))

    page = admin_client.get("/admin/auth/user/")
    sellers_only = admin_client.get("/admin/auth/user/", {"seller_membership__isempty": "0"})

    assert page.status_code == 200
    assert b'data-label="seller">Acme</td>' in page.content
    assert b'data-label="seller">-</td>' in page.content  # root, an operator
    assert sellers_only.status_code == 200
    assert b">shop</a></th>" in sellers_only.content
    assert b">root</a></th>" in page.content
    assert b">root</a></th>" not in sellers_only.content


def test_a_users_page_shows_their_seller_inline(admin_client):
    membership = SellerMembershipFactory(seller=SellerFactory(name="Acme"))

    page = admin_client.get(f"/admin/auth/user/{membership.user.pk}/change/")

    assert page.status_code == 200
    assert b"seller_membership-TOTAL_FORMS" in page.content
    assert f'value="{membership.seller.pk}"'.encode() in page.content


# --- keeping Omnitron usable (tests/accounts/test_keeping_omnitron_usable.py) --------------

LAST_SUPERUSER = "At least one active superuser must remain"
SELF = "You cannot deactivate or delete your own account; another operator can."


def admin_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(user, **changes) -> dict:
    """The admin's change form of `user` as posted, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "seller_membership-TOTAL_FORMS": "0",
        "seller_membership-INITIAL_FORMS": "0",
        "seller_membership-MIN_NUM_FORMS": "0",
        "seller_membership-MAX_NUM_FORMS": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def standing(user) -> tuple[bool, bool]:
    user.refresh_from_db()
    return user.is_active, user.is_superuser


def test_the_admin_form_still_saves_a_plain_change(admin_client):
    user = OperatorFactory(first_name="")

    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/", change_form(user, first_name="Ayşe")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Ayşe"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"is_active": ""}, SELF),
        ({"is_superuser": ""}, LAST_SUPERUSER),
    ],
)
def test_the_admin_form_refuses_deactivating_oneself_or_the_last_superuser(changes, message):
    root = OperatorFactory(username="root", is_superuser=True)

    response = admin_for(root).post(
        f"/admin/auth/user/{root.pk}/change/", change_form(root, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert standing(root) == (True, True)


def test_the_admin_form_refuses_a_staff_user_deactivating_the_last_superuser():
    root = OperatorFactory(username="root", is_superuser=True)
    staff = staff_with_perms("auth.view_user", "auth.change_user")

    response = admin_for(staff).post(
        f"/admin/auth/user/{root.pk}/change/", change_form(root, is_active="")
    )

    assert response.status_code == 200
    assert LAST_SUPERUSER in response.content.decode()
    assert standing(root) == (True, True)


def test_the_admin_deletes_a_user_but_not_oneself():
    me = OperatorFactory(is_superuser=True)
    other = OperatorFactory()
    client = admin_for(me)

    own_page = client.get(f"/admin/auth/user/{me.pk}/delete/")
    own = client.post(f"/admin/auth/user/{me.pk}/delete/", {"post": "yes"})
    theirs = client.post(f"/admin/auth/user/{other.pk}/delete/", {"post": "yes"})

    assert own_page.status_code == 200
    assert SELF in own_page.content.decode()
    assert own.status_code == 200
    assert SELF in own.content.decode()
    assert User.objects.filter(pk=me.pk).exists()
    assert theirs.status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()


def test_the_admin_refuses_deleting_the_last_superuser():
    root = OperatorFactory(is_superuser=True)
    staff = staff_with_perms("auth.view_user", "auth.delete_user")

    response = admin_for(staff).post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    assert LAST_SUPERUSER in response.content.decode()
    assert User.objects.filter(pk=root.pk).exists()


def test_the_admin_bulk_delete_refuses_a_selection_holding_every_superuser():
    me = staff_with_perms("auth.view_user", "auth.delete_user")
    roots = [OperatorFactory(is_superuser=True) for _ in range(2)]
    plain = OperatorFactory()
    selection = [str(user.pk) for user in [*roots, plain]]

    response = admin_for(me).post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": selection, "post": "yes"},
    )

    assert response.status_code == 200
    assert LAST_SUPERUSER in response.content.decode()
    assert User.objects.filter(pk__in=selection).count() == 3

    allowed = admin_for(me).post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": selection[1:], "post": "yes"},
    )
    assert allowed.status_code == 302
    assert list(User.objects.filter(pk__in=selection).values_list("pk", flat=True)) == [roots[0].pk]
