import pytest

from tests.images.helpers import DEADLINE, MAX_BYTES, READ_TIMEOUT


@pytest.fixture
def image_storage(settings, tmp_path):
    """Stored files go to a directory of the test's own."""
    location = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def download_settings(settings, image_storage):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    settings.PAZAR_IMAGE_MAX_BYTES = MAX_BYTES
    settings.PAZAR_IMAGE_DOWNLOAD_CONNECT_TIMEOUT_SECONDS = 1
    settings.PAZAR_IMAGE_DOWNLOAD_READ_TIMEOUT_SECONDS = READ_TIMEOUT
    settings.PAZAR_IMAGE_DOWNLOAD_DEADLINE_SECONDS = DEADLINE
    return settings
