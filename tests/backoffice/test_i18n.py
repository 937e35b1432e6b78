"""The back office in English and Turkish; the APIs in English whatever Accept-Language says."""

from pathlib import Path

import polib
import pytest
from django.test import Client

import pazar
from tests.backoffice.conftest import client_for
from tests.factories import PASSWORD, OperatorFactory, SellerMembershipFactory, UserFactory

CATALOG = Path(pazar.__file__).parent / "locale" / "tr" / "LC_MESSAGES"


def test_every_message_of_the_turkish_catalog_is_translated():
    po = polib.pofile(str(CATALOG / "django.po"))

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert len(po) > 100
    assert untranslated == []
    assert fuzzy == []


def test_the_committed_compiled_catalog_matches_its_source():
    """`make messages` compiles the .po; a .po edited without compiling fails here."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.pofile(str(CATALOG / "django.po"))
        if entry.translated()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(CATALOG / "django.mo"))
        if entry.msgid
    }

    assert compiled == source


@pytest.mark.django_db
def test_the_panel_speaks_the_browsers_language():
    english = Client().get("/seller-center/panel/sign-in/")
    turkish = Client().get("/seller-center/panel/sign-in/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9")

    assert "Sign in to the Seller Center" in english.content.decode()
    assert "Satıcı Merkezi'ne giriş yapın" in turkish.content.decode()
    assert turkish["Content-Language"] == "tr"


@pytest.mark.django_db
def test_the_language_switch_keeps_the_chosen_language_across_pages():
    SellerMembershipFactory(user=UserFactory(email="owner@acme.example"))
    client = Client()

    switched = client.post("/i18n/setlang/", {"language": "tr", "next": "/seller-center/panel/"})
    client.post(
        "/seller-center/panel/sign-in/", {"email": "owner@acme.example", "password": PASSWORD}
    )
    products = client.get("/seller-center/panel/products/")

    assert switched.status_code == 302
    assert "Ürünler" in products.content.decode()
    assert "Erişim anahtarları" in products.content.decode()


@pytest.mark.django_db
def test_the_admin_speaks_turkish_on_request():
    operator = client_for(OperatorFactory(is_superuser=True))

    page = operator.get("/admin/backoffice/pendingproduct/", HTTP_ACCEPT_LANGUAGE="tr")

    html = page.content.decode()
    assert "Onay kuyruğu" in html  # ours
    assert "Aramak için yazın" in html  # the theme's, translated by us
    assert "Seçili ürünleri onayla" in html


@pytest.mark.django_db
def test_the_apis_answer_in_english_even_after_a_turkish_page():
    client = Client()
    client.get("/seller-center/panel/sign-in/", HTTP_ACCEPT_LANGUAGE="tr")

    response = client.post(
        "/seller-center/api/i1/token/obtain/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="tr-tr",
    )

    assert response.status_code == 400
    assert response.json() == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }
    assert "Content-Language" not in response
