"""Profile pictures on ImageKit: an upload that fails after ImageKit stored the file (timeout, 5xx,
unreadable answer) leaves no orphan behind: the file is found by its unique name and deleted. The
real ``imagekitio`` SDK against the local stub (tests/stubs/imagekit.py)."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.pictures import profile_picture_replace
from tests.accounts.test_profile_picture_storage import picture, stored_state
from tests.factories import UserFactory
from vexora.errors import UpstreamError

pytestmark = pytest.mark.django_db
OLD = ("https://ik.imagekit.io/demo/old.jpg", "old-file-id")


def _failed_replace(stub, mode):
    user = UserFactory(profile_picture=OLD[0], file_id=OLD[1])
    stub.upload_mode = mode
    with pytest.raises(UpstreamError) as caught:
        profile_picture_replace(user=user, upload=picture())
    assert caught.value.message == "could not store the picture, please try again later"
    assert stored_state(user) == OLD
    return user


@pytest.mark.parametrize("mode", ["stored_then_hang", "stored_then_error", "stored_then_bad_json"])
def test_a_file_stored_by_a_failed_upload_is_found_by_name_and_deleted(imagekit_stub, settings, mode):
    _failed_replace(imagekit_stub, mode)

    [upload] = imagekit_stub.uploads
    [listing] = imagekit_stub.lists
    query = parse_qs(urlsplit(listing.path).query)
    assert query["path"] == [settings.IMAGEKIT_FOLDER]
    assert query["searchQuery"] == [f'name = "{upload.fields["fileName"]}"']
    assert len(imagekit_stub.deletes) == 1 and "old-file-id" not in imagekit_stub.deleted_ids()
    assert imagekit_stub.files == {}


@pytest.mark.parametrize("mode", ["bad_request", "closed"])
def test_a_refused_or_unreachable_upload_costs_no_look_up(imagekit_stub, mode):
    if mode == "closed":
        imagekit_stub.close()
    _failed_replace(imagekit_stub, "ok" if mode == "closed" else mode)

    assert imagekit_stub.lists == [] and imagekit_stub.deletes == []


def test_when_the_look_up_fails_too_the_user_still_gets_the_clean_error(imagekit_stub, caplog):
    imagekit_stub.list_mode = "error"

    with caplog.at_level(logging.WARNING, logger="accounts.pictures"):
        _failed_replace(imagekit_stub, "stored_then_error")

    assert len(imagekit_stub.lists) == 1 and imagekit_stub.deletes == []
    assert len(imagekit_stub.files) == 1  # left over, and said so in the log
    assert any("could not look for a partly uploaded picture" in r.getMessage() for r in caplog.records)


def test_a_retried_upload_replaces_the_file_of_the_failed_attempt(imagekit_stub, settings):
    settings.IMAGEKIT_MAX_RETRIES = 1
    imagekit_stub.upload_mode = "stored_then_error"
    imagekit_stub.upload_mode_times = 1  # the first attempt fails after storing, the retry succeeds
    user = UserFactory(profile_picture=OLD[0], file_id=OLD[1])

    profile_picture_replace(user=user, upload=picture())

    first, second = imagekit_stub.uploads
    assert first.fields["fileName"] == second.fields["fileName"]
    [stored] = imagekit_stub.files.values()
    assert stored_state(user) == (stored.url, stored.file_id)
