"""The Seller Center panel: signing in and out, and a seller's own products, batches and tokens.

Another seller's product, batch or token is a 404, exactly like one that does not exist.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pazar.accounts.models import SellerAccessToken
from pazar.batches.models import BatchStatus
from pazar.core.config import Rate
from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    SellerMembershipFactory,
    UserFactory,
    seller_token,
)
from tests.windows import wait_for_window_room

pytestmark = pytest.mark.django_db

PANEL = "/seller-center/panel/"
SIGN_IN = f"{PANEL}sign-in/"
PRODUCTS = f"{PANEL}products/"
BATCHES = f"{PANEL}batch-requests/"
TOKENS = f"{PANEL}access-tokens/"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(SIGN_IN, {"email": email, "password": password})


@pytest.fixture
def member():
    return SellerMembershipFactory(user=UserFactory(email="owner@acme.example"))


@pytest.fixture
def panel(member):
    client = Client()
    assert sign_in(client, "owner@acme.example").status_code == 302
    client.member = member
    return client


@pytest.fixture
def other():
    """Another seller, with a product, a batch and a token of its own."""
    membership = SellerMembershipFactory()
    token, _ = seller_token(membership)
    return {
        "product": ProductFactory(seller=membership.seller, sku="THEIRS"),
        "batch": BatchRequestFactory(seller=membership.seller, completed=True, error_rows=[]),
        "token": token,
    }


# --- signing in and out ---------------------------------------------------------------------


def test_signing_in_opens_a_login_session_and_goes_where_the_seller_was_going(member):
    client = Client()

    page = client.get(BATCHES)
    signed_in = client.post(
        SIGN_IN, {"email": "OWNER@acme.example", "password": PASSWORD, "next": BATCHES}
    )

    assert page.status_code == 302
    assert page.url == f"{SIGN_IN}?next=%2Fseller-center%2Fpanel%2Fbatch-requests%2F"
    assert signed_in.status_code == 302
    assert signed_in.url == BATCHES
    session = SellerAccessToken.objects.get(user=member.user)
    assert (session.kind, session.is_active) == ("session", True)
    assert client.get(BATCHES).status_code == 200


def test_a_wrong_password_opens_no_session(member):
    response = sign_in(Client(), "owner@acme.example", "wrong")

    assert response.status_code == 200
    assert "The email or the password is not right." in response.content.decode()
    assert not SellerAccessToken.objects.filter(user=member.user).exists()


def test_a_next_url_on_another_site_is_not_followed(member):
    response = Client().post(
        SIGN_IN,
        {"email": "owner@acme.example", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response.url == PRODUCTS


def test_operators_cannot_sign_in_to_the_panel():
    UserFactory(email="staff@pazar.example", is_staff=True, is_superuser=True)

    response = sign_in(Client(), "staff@pazar.example")

    assert response.status_code == 200
    assert "The email or the password is not right." in response.content.decode()


def test_sign_in_attempts_are_limited_per_email(member, settings):
    settings.PAZAR_RATE_LIMITS = {**settings.PAZAR_RATE_LIMITS, "login": Rate(limit=2, period=60)}
    client = Client()

    wait_for_window_room(room=10)
    answers = [sign_in(client, "owner@acme.example", "wrong").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert "Too many sign-in attempts" in sign_in(client, "owner@acme.example").content.decode()


def test_signing_out_ends_the_session_token(panel, member):
    response = panel.post(f"{PANEL}sign-out/")

    assert response.status_code == 302
    assert response.url == SIGN_IN
    session = SellerAccessToken.objects.get(user=member.user)
    assert session.revoked_at is not None
    assert panel.get(PRODUCTS).status_code == 302


def test_the_panel_and_the_admin_keep_their_own_sign_ins_in_one_browser(member):
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))

    sign_in(client, "owner@acme.example")
    both = (client.get("/admin/").status_code, client.get(PRODUCTS).status_code)
    client.post(f"{PANEL}sign-out/")

    assert both == (200, 200)
    assert client.get("/admin/").status_code == 200
    assert client.get(PRODUCTS).status_code == 302


def test_a_deactivated_seller_is_signed_out_at_once(panel, member):
    member.seller.is_active = False
    member.seller.save()

    response = panel.get(PRODUCTS)

    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_an_expired_session_needs_a_new_sign_in(panel, member):
    SellerAccessToken.objects.filter(user=member.user).update(
        valid_until=timezone.now() - timedelta(seconds=1)
    )

    assert panel.get(PRODUCTS).status_code == 302


@pytest.mark.parametrize(
    "path",
    [PRODUCTS, BATCHES, TOKENS, f"{BATCHES}00000000-0000-0000-0000-000000000000/"],
)
def test_every_page_needs_a_signed_in_seller(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


# --- products -------------------------------------------------------------------------------


def test_a_seller_sees_their_products_in_every_approval_state_and_no_others(panel, other):
    seller = panel.member.seller
    ProductFactory(seller=seller, sku="NEW-1")
    ProductFactory(seller=seller, sku="LIVE-1", live=True)
    ProductFactory(
        seller=seller, sku="NO-1", approval_status="rejected", rejection_reason="Blurry."
    )
    ProductRevisionFactory(product__seller=seller, product__sku="CHANGED-1")

    response = panel.get(PRODUCTS)

    assert response.status_code == 200
    states = {product.sku: product.approval_status for product in response.context["page"]}
    assert states == {
        "NEW-1": "pending",
        "LIVE-1": "approved",
        "NO-1": "rejected",
        "CHANGED-1": "pending",
    }
    html = response.content.decode()
    assert "Blurry." in html
    assert "Live; a change waits for approval." in html
    assert "THEIRS" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"review": "rejected"}, ["LIVE-NO", "NO-1"]),
        ({"live": "yes"}, ["LIVE-NO", "LIVE-1"]),
        ({"live": "no", "review": "rejected"}, ["NO-1"]),
        ({"review": "approved"}, ["LIVE-1"]),
        ({"q": "live-1"}, ["LIVE-1"]),
        ({"q": "no-"}, ["NO-1"]),
    ],
)
def test_products_filter_by_being_live_by_last_review_and_by_text(panel, query, expected):
    seller = panel.member.seller
    ProductFactory(seller=seller, sku="NEW-1")
    ProductFactory(seller=seller, sku="NO-1", approval_status="rejected")
    ProductFactory(seller=seller, sku="LIVE-1", live=True)
    # live, and its last change was rejected: live and rejected at once, each in its own column
    ProductFactory(seller=seller, sku="LIVE-NO", live=True, approval_status="rejected")

    response = panel.get(PRODUCTS, query)

    assert [product.sku for product in response.context["page"]] == expected


def test_a_product_page_shows_a_pending_change_side_by_side(panel):
    revision = ProductRevisionFactory(product__seller=panel.member.seller, product__name="Tee")
    revision.data = {**revision.data, "name": "Cotton tee"}
    revision.save()

    response = panel.get(f"{PRODUCTS}{revision.product.uuid}/")

    assert response.status_code == 200
    changed = [line for line in response.context["review"].lines if line.changed]
    assert [(line.label, line.current, line.proposed) for line in changed] == [
        ("Name", "Tee", "Cotton tee")
    ]


def test_another_sellers_product_is_a_404(panel, other):
    response = panel.get(f"{PRODUCTS}{other['product'].uuid}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "There is nothing here, or it is not yours to see." in response.content.decode()


# --- batch requests -------------------------------------------------------------------------


def test_a_seller_sees_their_batches_with_counts_and_progress_and_no_others(panel, other):
    seller = panel.member.seller
    waiting = BatchRequestFactory(seller=seller)
    BatchRequestFactory(seller=seller, completed=True)
    BatchRequestFactory(seller=seller, status=BatchStatus.FAILED, error="Broken file.")

    response = panel.get(BATCHES)

    assert response.status_code == 200
    listed = {item.batch.pk for item in response.context["progress"]}
    assert other["batch"].pk not in listed
    assert len(listed) == 3
    assert response.context["counts"] == {
        "waiting": 1,
        "processing": 0,
        "completed": 0,
        "completed_with_errors": 1,
        "all_failed": 0,
        "failed": 1,
    }
    html = response.content.decode()
    assert f'hx-get="{BATCHES}{waiting.pk}/progress/"' in html
    assert "Broken file." in html


def test_batches_filter_by_status_and_day(panel):
    seller = panel.member.seller
    today = BatchRequestFactory(seller=seller, completed=True)
    BatchRequestFactory(seller=seller)
    day = timezone.now().date().isoformat()

    completed_today = panel.get(
        BATCHES, {"state": "completed_with_errors", "since": day, "until": day}
    )
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    none_yet = panel.get(BATCHES, {"since": tomorrow})

    assert [item.batch.pk for item in completed_today.context["progress"]] == [today.pk]
    assert completed_today.context["counts"]["waiting"] == 1  # the days' counts, every status
    assert none_yet.context["progress"] == []


def test_a_batch_page_shows_its_error_rows_and_files(panel):
    batch = BatchRequestFactory(
        seller=panel.member.seller,
        completed=True,
        error_rows=[error_row(4, "TEE-4", {"category": ["Unknown category."]})],
    )

    response = panel.get(f"{BATCHES}{batch.pk}/")

    assert response.status_code == 200
    rows = [(row.index, row.sku, row.messages) for row in response.context["error_rows"]]
    assert rows == [(4, "TEE-4", ["category: Unknown category."])]
    error_link = response.context["links"]["error"]
    assert panel.get(error_link).status_code == 200


def test_a_batch_in_progress_is_polled_and_a_finished_one_reloads_the_page(panel):
    batch = BatchRequestFactory(seller=panel.member.seller, status=BatchStatus.PROCESSING)
    poll = f"{BATCHES}{batch.pk}/progress/"

    open_answer = panel.get(poll)
    batch.status, batch.succeeded, batch.failed = BatchStatus.COMPLETED, 10, 0
    batch.save()
    done_answer = panel.get(poll)

    assert "HX-Refresh" not in open_answer
    assert b'hx-trigger="every 2s"' in open_answer.content
    assert done_answer["HX-Refresh"] == "true"


def test_another_sellers_batch_and_its_progress_are_404s(panel, other):
    for path in (f"{BATCHES}{other['batch'].pk}/", f"{BATCHES}{other['batch'].pk}/progress/"):
        assert panel.get(path).status_code == 404


# --- access tokens --------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_works_against_the_api(panel):
    created = panel.post(TOKENS, {"note": "ERP", "valid_until": "2031-01-31T12:00"})

    shown = panel.get(TOKENS)
    again = panel.get(TOKENS)

    assert created.status_code == 302
    key = shown.context["new_token"]["key"]
    assert key in shown.content.decode()
    assert again.context["new_token"] is None
    assert key not in again.content.decode()
    token = SellerAccessToken.objects.get(kind="access", seller=panel.member.seller)
    assert (token.note, token.valid_until.isoformat()) == ("ERP", "2031-01-31T12:00:00+00:00")
    api = Client().get("/seller-center/api/i2/access-tokens/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200
    assert [t["note"] for t in api.json()["results"]] == ["ERP"]


def test_a_token_valid_until_the_past_is_refused(panel):
    response = panel.post(TOKENS, {"note": "x", "valid_until": "2001-01-01T00:00"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"valid_until": ["Must be in the future."]}
    assert not SellerAccessToken.objects.filter(kind="access").exists()


def test_the_token_list_shows_the_sellers_access_tokens_only(panel, other):
    mine, _ = seller_token(panel.member, note="mine")

    response = panel.get(TOKENS)

    assert [token.pk for token in response.context["page"]] == [mine.pk]  # no session, no others


def test_revoking_a_token_stops_it_at_once(panel):
    token, key = seller_token(panel.member)

    response = panel.post(f"{TOKENS}{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/seller-center/api/i1/languages/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401


def test_another_sellers_token_cannot_be_revoked(panel, other):
    response = panel.post(f"{TOKENS}{other['token'].pk}/revoke/")

    assert response.status_code == 404
    other["token"].refresh_from_db()
    assert other["token"].revoked_at is None


def test_a_seller_user_who_is_not_an_admin_sees_tokens_but_cannot_manage_them():
    membership = SellerMembershipFactory(is_admin=False, user=UserFactory(email="clerk@a.example"))
    token, _ = seller_token(membership)
    client = Client()
    sign_in(client, "clerk@a.example")

    page = client.get(TOKENS)
    created = client.post(TOKENS, {"note": "x", "valid_until": "2031-01-31T12:00"})
    revoked = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert page.status_code == 200
    assert b'id="create-token"' not in page.content
    assert created.status_code == 403
    assert revoked.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert SellerAccessToken.objects.filter(kind="access").count() == 1
