"""A seller's admin creates an access token in the panel, an integration uses it against the API,
and the seller revokes it: from then on the API refuses it."""

import requests
from playwright.sync_api import expect

from pazar.accounts.models import SellerAccessToken
from tests.e2e.conftest import seller_sign_in
from tests.factories import PASSWORD, SellerMembershipFactory, UserFactory

TOKENS_API = "/seller-center/api/i2/access-tokens/"


def test_a_seller_creates_a_token_uses_it_and_revokes_it(live_server, new_page, shot):
    membership = SellerMembershipFactory(user=UserFactory(email="owner@acme.example"))
    page = new_page()
    seller_sign_in(page, live_server.url, "owner@acme.example", PASSWORD)

    # when: the seller creates a token with a note and a validity
    page.get_by_role("link", name="Access tokens").click()
    page.get_by_label("Note").fill("ERP integration")
    page.get_by_label("Valid until (UTC)").fill("2031-06-30T18:00")
    page.get_by_role("button", name="Create token").click()

    # then: the key is shown once, and it works against the API
    key = page.locator("#new-token-key").inner_text().strip()
    assert len(key) == 40
    # and a button copies it
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the token").click()
    expect(page.locator("#copy-token-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == key
    shot(page, "1-token-shown-once")
    api = requests.get(
        f"{live_server.url}{TOKENS_API}", headers={"Authorization": f"Token {key}"}, timeout=10
    )
    assert api.status_code == 200
    listed = api.json()["results"]
    assert [(t["key_prefix"], t["note"], t["status"]) for t in listed] == [
        (key[:8], "ERP integration", "Active")
    ]
    assert listed[0]["valid_until"] == "2031-06-30T18:00:00Z"

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # never shown again
    row = page.locator(f"tr[data-token='{listed[0]['id']}']")
    expect(row).to_contain_text(f"{key[:8]}…")
    expect(row).to_contain_text("Active")

    # when: the seller starts to revoke it but cancels the confirmation, nothing happens
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Active")
    assert questions and key[:8] in questions[0]

    # when: the seller revokes it, confirming
    page.once("dialog", lambda dialog: answer(dialog, True))
    row.get_by_role("button", name="Revoke").click()

    # then: the panel says so, the token is listed as revoked, and the API refuses it at once
    expect(page.get_by_text(f"The token {key[:8]}… was revoked.")).to_be_visible()
    expect(page.locator(f"tr[data-token='{listed[0]['id']}']")).to_contain_text("Revoked")
    shot(page, "2-token-revoked")
    refused = requests.get(
        f"{live_server.url}{TOKENS_API}", headers={"Authorization": f"Token {key}"}, timeout=10
    )
    assert refused.status_code == 401
    token = SellerAccessToken.objects.get(pk=listed[0]["id"])
    assert token.seller == membership.seller and token.revoked_at is not None
