import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from pazar.core import config


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("PAZAR_SECRET_KEY", raising=False)

    first = config.secret_key(tmp_path)
    second = config.secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_the_environment_secret_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("PAZAR_SECRET_KEY", "from-the-environment")

    assert config.secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("off", False), ("0", False)]
)
def test_boolean_variables(monkeypatch, raw, value):
    monkeypatch.setenv("PAZAR_TEST_FLAG", raw)

    assert config.env_bool("PAZAR_TEST_FLAG", not value) is value


def test_a_malformed_boolean_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("PAZAR_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="PAZAR_TEST_FLAG"):
        config.env_bool("PAZAR_TEST_FLAG", False)


@pytest.mark.django_db
def test_createsuperuser_noinput_reads_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-operator-Pass1")

    call_command(
        "createsuperuser", interactive=False, username="root", email="root@example.com", verbosity=0
    )

    user = get_user_model().objects.get(username="root")
    assert user.is_superuser and user.is_staff
    assert user.check_password("an-operator-Pass1")
