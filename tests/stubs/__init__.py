"""Local stand-ins for third-party services, driven by the real client libraries.

Fixtures defined here are made available to every test by ``tests/conftest.py``.
"""

import pytest

from tests.stubs.imagekit import ImageKitStub


@pytest.fixture
def imagekit_stub(settings):
    """A running ImageKit stub, with settings pointing the ImageKit backend at it.

    Short timeouts and no SDK retries keep failure tests fast; the stub is closed afterwards.
    """
    stub = ImageKitStub().start()
    settings.IMAGEKIT_PRIVATE_KEY = stub.private_key
    settings.IMAGEKIT_BASE_URL = stub.url
    settings.IMAGEKIT_FOLDER = "/vexora-test/profile-pictures"
    settings.IMAGEKIT_TIMEOUT = 1.0
    settings.IMAGEKIT_MAX_RETRIES = 0
    try:
        yield stub
    finally:
        stub.close()
