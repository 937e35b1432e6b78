import pytest
from django.test import Client

from tests.factories import OperatorFactory


@pytest.fixture(autouse=True)
def batch_files(settings, tmp_path):
    """Batch files of the test go to a directory of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(db):
    return client_for(OperatorFactory(is_superuser=True))
