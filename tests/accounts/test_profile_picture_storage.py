"""Profile pictures, storage: ``profile_picture_replace`` stores the processed picture (local media
or ImageKit), saves where it is (a media name, or ImageKit's URL) and its file id on the user, then
deletes the previous file; failures of ImageKit leave the user as it was and leave nothing behind.

ImageKit is the real ``imagekitio`` SDK talking to the local stub (tests/stubs/imagekit.py).
"""

import io
import logging
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from accounts.pictures import default_picture_url, profile_picture_replace, profile_picture_url
from tests.factories import UserFactory
from vexora.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, UpstreamError

SITE = "https://vexora.example"
IMAGEKIT_FAILURE = "could not store the picture, please try again later"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Local media in a temporary folder, ImageKit off unless a test asks for the stub."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    settings.SITE_URL = SITE
    settings.IMAGEKIT_PRIVATE_KEY = ""
    settings.IMAGEKIT_BASE_URL = ""
    return tmp_path / "media"


def picture(colour=(30, 120, 200), size=(640, 480), fmt="PNG", name="me.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def media_files(media_root) -> list[str]:
    if not media_root.exists():
        return []
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def stored_state(user) -> tuple[str, str]:
    row = get_user_model().objects.get(pk=user.pk)
    return row.profile_picture, row.file_id


def delete_row_behind_the_services_back(user):
    """The account disappears (deleted by another request) while its picture is being uploaded:
    saving the user then fails after the file was stored. Plain SQL, so the test does not depend
    on which other apps' tables cascade from the user."""
    table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE id = %s", [user.pk])


def replace(user, upload, capture):
    """Call the service as a request would, running the after-commit work (old file deletion)."""
    with capture(execute=True):
        return profile_picture_replace(user=user, upload=upload)


# --- Default picture -------------------------------------------------------------------------
def test_the_default_picture_is_an_absolute_url_to_a_shipped_512_avatar(client):
    url = default_picture_url()

    assert url == f"{SITE}/static/img/default-avatar.png"
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200
    avatar = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert avatar.format == "PNG" and avatar.size == (512, 512)


# --- Local storage ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_picture_is_stored_locally_when_imagekit_is_not_configured(_media, django_capture_on_commit_callbacks):
    user = UserFactory(profile_picture="", file_id="")

    returned = replace(user, picture(), django_capture_on_commit_callbacks)

    location, file_id = stored_state(user)
    assert returned.profile_picture == location and returned.file_id == file_id
    name = file_id.removeprefix("local:")
    assert file_id.startswith(f"local:profile-pictures/{user.uuid}-") and name.endswith(".jpg")
    assert location == name  # the media name, never a URL of this site
    assert profile_picture_url(user=returned) == f"{SITE}/media/{name}"
    assert media_files(_media) == [name]
    saved = Image.open(_media / name)
    assert saved.format == "JPEG" and saved.size == (512, 512)


@pytest.mark.django_db
def test_a_locally_stored_picture_is_served_at_its_url(_media, client, django_capture_on_commit_callbacks, settings):
    user = UserFactory()
    replace(user, picture(), django_capture_on_commit_callbacks)
    user.refresh_from_db()
    url = profile_picture_url(user=user)

    from django.views.static import serve  # the project's /media/ route serves MEDIA_ROOT

    response = serve(client.get("/").wsgi_request, url.removeprefix(f"{SITE}/media/"), document_root=settings.MEDIA_ROOT)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (512, 512)


@pytest.mark.django_db
def test_a_second_upload_deletes_the_previous_local_file(_media, django_capture_on_commit_callbacks):
    user = UserFactory()
    replace(user, picture((200, 10, 10)), django_capture_on_commit_callbacks)
    _, first_id = stored_state(user)

    replace(user, picture((10, 200, 10)), django_capture_on_commit_callbacks)

    url, second_id = stored_state(user)
    assert second_id != first_id
    assert media_files(_media) == [second_id.removeprefix("local:")]
    assert url.endswith(second_id.removeprefix("local:"))


@pytest.mark.django_db
def test_the_old_file_is_kept_until_the_new_one_is_committed(_media, django_capture_on_commit_callbacks):
    user = UserFactory()
    replace(user, picture(), django_capture_on_commit_callbacks)
    _, first_id = stored_state(user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile_picture_replace(user=user, upload=picture((0, 0, 0)))
        assert first_id.removeprefix("local:") in media_files(_media)

    assert len(callbacks) == 1


@pytest.mark.django_db
def test_only_files_of_our_own_folder_are_ever_deleted(_media, django_capture_on_commit_callbacks):
    _media.mkdir(parents=True)
    (_media / "keep.txt").write_text("not a picture of ours")
    user = UserFactory(profile_picture="keep.txt", file_id="local:keep.txt")

    replace(user, picture(), django_capture_on_commit_callbacks)

    assert (_media / "keep.txt").exists()


@pytest.mark.django_db
def test_an_upload_that_is_too_large_is_refused_and_nothing_is_stored(_media, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    user = UserFactory(profile_picture="", file_id="")
    noisy = Image.effect_noise((1024, 1024), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 1024 * 1024

    with pytest.raises(PayloadTooLarge) as caught:
        profile_picture_replace(user=user, upload=SimpleUploadedFile("big.png", out.getvalue(), "image/png"))

    assert caught.value.message == "the image is larger than 1 MB"
    assert stored_state(user) == ("", "")
    assert media_files(_media) == []


@pytest.mark.django_db
def test_a_file_that_is_not_png_or_jpeg_is_refused_and_nothing_is_stored(_media):
    user = UserFactory(profile_picture="", file_id="")

    with pytest.raises(UnsupportedMediaType):
        profile_picture_replace(user=user, upload=picture(fmt="GIF", name="me.png"))

    assert stored_state(user) == ("", "")
    assert media_files(_media) == []


@pytest.mark.django_db
def test_a_user_deleted_meanwhile_leaves_no_local_file_behind(_media):
    user = UserFactory()
    delete_row_behind_the_services_back(user)

    with pytest.raises(NotFound):
        profile_picture_replace(user=user, upload=picture())

    assert media_files(_media) == []


# --- ImageKit --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_picture_is_uploaded_to_imagekit_with_the_private_key(imagekit_stub, _media, settings,
                                                               django_capture_on_commit_callbacks):
    user = UserFactory(profile_picture="", file_id="")

    replace(user, picture(), django_capture_on_commit_callbacks)

    [upload] = imagekit_stub.uploads
    assert upload.authorization == imagekit_stub.expected_authorization()
    assert upload.fields["folder"] == settings.IMAGEKIT_FOLDER
    assert re.fullmatch(rf"{user.uuid}-[0-9a-f]{{16}}\.jpg", upload.fields["fileName"])
    assert upload.fields["useUniqueFileName"] == "false"  # our name is unique: a retry replaces, not adds
    filename, sent = upload.files["file"]
    assert filename.endswith(".jpg")
    sent_image = Image.open(io.BytesIO(sent))
    assert sent_image.format == "JPEG" and sent_image.size == (512, 512)
    [stored] = imagekit_stub.files.values()
    assert stored_state(user) == (stored.url, stored.file_id)
    assert (user.profile_picture, user.file_id) == (stored.url, stored.file_id)
    assert imagekit_stub.deletes == []  # the default picture is never deleted
    assert media_files(_media) == []  # nothing written locally


@pytest.mark.django_db
def test_the_default_picture_is_never_deleted_whatever_its_file_id(imagekit_stub, _media,
                                                                  django_capture_on_commit_callbacks):
    user = UserFactory(profile_picture="", file_id="default-avatar")

    replace(user, picture(), django_capture_on_commit_callbacks)

    assert len(imagekit_stub.uploads) == 1
    assert imagekit_stub.deletes == []


@pytest.mark.django_db
def test_a_second_upload_deletes_the_previous_imagekit_file(imagekit_stub, django_capture_on_commit_callbacks):
    user = UserFactory()
    replace(user, picture((200, 10, 10)), django_capture_on_commit_callbacks)
    _, first_id = stored_state(user)

    replace(user, picture((10, 200, 10)), django_capture_on_commit_callbacks)

    url, second_id = stored_state(user)
    assert imagekit_stub.deleted_ids() == [first_id]
    assert imagekit_stub.deletes[0].authorization == imagekit_stub.expected_authorization()
    assert list(imagekit_stub.files) == [second_id]
    assert url == imagekit_stub.files[second_id].url


@pytest.mark.django_db
def test_a_failed_delete_of_the_old_file_does_not_fail_the_replacement(imagekit_stub, caplog,
                                                                      django_capture_on_commit_callbacks):
    user = UserFactory()
    replace(user, picture(), django_capture_on_commit_callbacks)
    _, first_id = stored_state(user)
    imagekit_stub.delete_mode = "error"

    with caplog.at_level(logging.WARNING, logger="accounts.pictures"):
        replace(user, picture((0, 0, 0)), django_capture_on_commit_callbacks)

    _, second_id = stored_state(user)
    assert second_id != first_id and second_id in imagekit_stub.files
    assert imagekit_stub.deleted_ids() == [first_id]
    assert any(first_id in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


@pytest.mark.django_db
def test_an_old_local_file_is_deleted_after_switching_to_imagekit(imagekit_stub, _media, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.IMAGEKIT_PRIVATE_KEY = ""
    user = UserFactory()
    replace(user, picture(), django_capture_on_commit_callbacks)
    assert len(media_files(_media)) == 1
    settings.IMAGEKIT_PRIVATE_KEY = imagekit_stub.private_key

    replace(user, picture((0, 0, 0)), django_capture_on_commit_callbacks)

    assert media_files(_media) == []
    assert imagekit_stub.deletes == []
    assert stored_state(user)[1] in imagekit_stub.files


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["error", "bad_request", "bad_json", "hang"])
def test_an_imagekit_failure_leaves_the_user_unchanged(imagekit_stub, _media, mode, django_capture_on_commit_callbacks):
    user = UserFactory(profile_picture="https://ik.imagekit.io/demo/old.jpg", file_id="old-file-id")
    imagekit_stub.upload_mode = mode

    started = time.monotonic()
    with pytest.raises(UpstreamError) as caught:
        replace(user, picture(), django_capture_on_commit_callbacks)

    assert time.monotonic() - started < 10
    assert caught.value.status == 502
    assert caught.value.message == IMAGEKIT_FAILURE
    assert stored_state(user) == ("https://ik.imagekit.io/demo/old.jpg", "old-file-id")
    assert (user.profile_picture, user.file_id) == ("https://ik.imagekit.io/demo/old.jpg", "old-file-id")
    assert len(imagekit_stub.uploads) == 1
    assert imagekit_stub.deletes == []  # the old file is untouched
    assert media_files(_media) == []


@pytest.mark.django_db
def test_an_unreachable_imagekit_leaves_the_user_unchanged(imagekit_stub, _media, django_capture_on_commit_callbacks):
    user = UserFactory(profile_picture="https://ik.imagekit.io/demo/old.jpg", file_id="old-file-id")
    imagekit_stub.close()

    with pytest.raises(UpstreamError) as caught:
        replace(user, picture(), django_capture_on_commit_callbacks)

    assert caught.value.message == IMAGEKIT_FAILURE
    assert stored_state(user) == ("https://ik.imagekit.io/demo/old.jpg", "old-file-id")
    assert media_files(_media) == []


@pytest.mark.django_db
def test_a_user_deleted_meanwhile_gets_the_uploaded_file_removed_from_imagekit(imagekit_stub):
    user = UserFactory()
    delete_row_behind_the_services_back(user)

    with pytest.raises(NotFound):
        profile_picture_replace(user=user, upload=picture())

    [upload] = imagekit_stub.uploads
    assert len(imagekit_stub.deletes) == 1
    assert imagekit_stub.files == {}
