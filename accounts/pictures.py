"""Profile pictures: check, normalise, store (ImageKit or local media), swap on the user, delete
the old file.

Public interface:
- :func:`profile_picture_url` -- the absolute URL of a user's picture, built per request;
- :func:`default_picture_url` -- the absolute URL of the shipped default avatar;
- :func:`picture_open` -- an upload -> checked image, decoded no larger than processing needs;
- :func:`picture_process` -- any checked image -> 512x512 progressive JPEG bytes, no metadata;
- :func:`profile_picture_replace` -- the whole "PUT /user/profile-picture" operation;
- :func:`profile_picture_erase` -- delete the stored file for good (account deletion).

``User.profile_picture`` stores where the picture is, never a URL of this site: empty for the
default avatar, the media storage name of a local file (``profile-pictures/<name>.jpg``), or
ImageKit's own URL. The URL of this site is built for each request (its scheme and host; without a
request, ``settings.SITE_URL``), so a change of host, port or ``SITE_URL`` breaks no picture.

Storage is chosen by settings: ImageKit (official ``imagekitio`` SDK) when
``IMAGEKIT_PRIVATE_KEY`` is set, else Django's ``default_storage`` under ``MEDIA_ROOT``.
A file id tells where a file lives, so old files are deleted from the right place even after the
configuration changed: ``local:<storage name>`` for local files, ImageKit's ``fileId`` otherwise,
and an empty id (or the default avatar's URL) for the default picture, which is never deleted.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.templatetags.static import static
from django.utils.translation import gettext_lazy
from PIL import Image

from vexora.errors import NotFound, ServiceUnavailable, UpstreamError
from vexora.images import image_open_checked, image_to_rgb

logger = logging.getLogger(__name__)

PICTURE_SIZE = 512
# Uploads are decoded no smaller than this shorter side (twice the output: a clean Lanczos step).
DECODE_SHORT_SIDE = 2 * PICTURE_SIZE
JPEG_QUALITY = 88
DEFAULT_PICTURE_STATIC_PATH = "img/default-avatar.png"
LOCAL_PREFIX = "local:"
LOCAL_DIR = "profile-pictures"
_LOCAL_NAME_RE = re.compile(rf"^{LOCAL_DIR}/[A-Za-z0-9_-]+\.jpg$")
STORE_FAILED_MESSAGE = gettext_lazy("could not store the picture, please try again later")
ERASE_FAILED_MESSAGE = gettext_lazy("could not delete the profile picture, please try again later")


@dataclass(frozen=True)
class StoredPicture:
    location: str  # what User.profile_picture stores: a local storage name or ImageKit's URL
    file_id: str


# --- URLs -----------------------------------------------------------------------------------
def profile_picture_url(*, user, request=None) -> str:
    """The absolute URL of ``user``'s picture: ImageKit's URL as stored, else this site's URL of
    the local file or of the default avatar, for ``request``'s scheme and host."""
    location = user.profile_picture or ""
    if location.startswith(("https://", "http://")):
        return location
    return _absolute(default_storage.url(location) if location else static(DEFAULT_PICTURE_STATIC_PATH), request)


def default_picture_url(*, request=None) -> str:
    """The absolute URL of the default avatar shipped in ``static/img/default-avatar.png``."""
    return _absolute(static(DEFAULT_PICTURE_STATIC_PATH), request)


def _absolute(url: str, request) -> str:
    if url.startswith(("https://", "http://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.SITE_URL.rstrip("/") + url


def _is_default(*, location: str, file_id: str) -> bool:
    return not file_id or not location


# --- Processing -----------------------------------------------------------------------------
def picture_open(*, upload) -> Image.Image:
    """The upload checked by :func:`vexora.images.image_open_checked`: PNG or JPEG by content, at
    most ``settings.UPLOAD_MAX_BYTES`` and ``settings.PICTURE_MAX_PIXELS``; a bigger picture is
    decoded at a reduced scale (a JPEG at 1/2, 1/4 or 1/8), never below ``DECODE_SHORT_SIDE``."""
    return image_open_checked(upload=upload, max_bytes=settings.UPLOAD_MAX_BYTES,
                              max_pixels=settings.PICTURE_MAX_PIXELS, min_short_side=DECODE_SHORT_SIDE)


def picture_process(*, image: Image.Image) -> bytes:
    """Centre-crop ``image`` to a square, resize it to 512x512 (Lanczos) and encode it as a
    progressive sRGB JPEG (quality 88) carrying no metadata: no EXIF, XMP, ICC profile or comment.
    ``image`` should come from :func:`picture_open` (already upright)."""
    rgb = image_to_rgb(image)
    width, height = rgb.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = rgb.resize(
        (PICTURE_SIZE, PICTURE_SIZE),
        Image.Resampling.LANCZOS,
        box=(left, top, left + side, top + side),
        reducing_gap=3.0,
    )
    # A brand-new image: nothing of the upload's ``info`` (comment, exif, icc, dpi...) can leak
    # into the file, whatever Pillow's encoder copies by default.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


# --- Local storage --------------------------------------------------------------------------
def _local_save(*, user, data: bytes) -> StoredPicture:
    wanted = f"{LOCAL_DIR}/{user.uuid}-{secrets.token_hex(8)}.jpg"
    try:
        name = default_storage.save(wanted, ContentFile(data))
    except OSError:
        logger.exception("could not write a profile picture to local storage")
        raise ServiceUnavailable(STORE_FAILED_MESSAGE) from None
    return StoredPicture(location=name, file_id=LOCAL_PREFIX + name)


def _local_delete(name: str) -> None:
    if not _LOCAL_NAME_RE.match(name):  # only ever files we wrote; never a path from elsewhere
        logger.warning("refused to delete unexpected local picture name %r", name)
        return
    default_storage.delete(name)


# --- ImageKit -------------------------------------------------------------------------------
def _imagekit_configured() -> bool:
    return bool(settings.IMAGEKIT_PRIVATE_KEY)


def _imagekit_client():
    import httpx
    from imagekitio import ImageKit

    timeout = settings.IMAGEKIT_TIMEOUT
    kwargs = {
        "private_key": settings.IMAGEKIT_PRIVATE_KEY,
        "timeout": httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        "max_retries": settings.IMAGEKIT_MAX_RETRIES,
    }
    if settings.IMAGEKIT_BASE_URL:
        kwargs["base_url"] = settings.IMAGEKIT_BASE_URL
    return ImageKit(**kwargs)


def _imagekit_save(*, user, data: bytes) -> StoredPicture:
    # Our own unique name (not ImageKit's random suffix): a retried upload replaces the same file
    # instead of adding a second one, and after an unclear failure the file can be found by name.
    name = f"{user.uuid}-{secrets.token_hex(8)}.jpg"
    try:
        with _imagekit_client() as client:
            result = client.files.upload(
                file=(name, data, "image/jpeg"),
                file_name=name,
                folder=settings.IMAGEKIT_FOLDER,
                use_unique_file_name=False,
                overwrite_file=True,
                is_private_file=False,
            )
    except Exception as exc:  # connection refused, timeout, 4xx/5xx, unreadable JSON...
        logger.warning("ImageKit upload failed: %s: %s", type(exc).__name__, exc)
        if _upload_may_have_stored(exc):
            _imagekit_delete_named(name)
        raise UpstreamError(STORE_FAILED_MESSAGE) from None
    url = getattr(result, "url", None)
    file_id = getattr(result, "file_id", None)
    if (
        not isinstance(url, str)
        or not url.startswith(("https://", "http://"))
        or len(url) > 500
        or not isinstance(file_id, str)
        or not file_id
        or len(file_id) > 200 - len(LOCAL_PREFIX)
        or file_id.startswith(LOCAL_PREFIX)
    ):
        logger.warning("ImageKit upload answered without a usable url/fileId: %r", result)
        if isinstance(file_id, str) and file_id and not file_id.startswith(LOCAL_PREFIX):
            _delete_file(file_id=file_id)
        raise UpstreamError(STORE_FAILED_MESSAGE)
    return StoredPicture(location=url, file_id=file_id)


def _upload_may_have_stored(exc: Exception) -> bool:
    """False only when ImageKit surely kept nothing: the connection failed before a request was
    answered (not a timeout), or it answered with a 4xx refusal."""
    from imagekitio import APIConnectionError, APIStatusError, APITimeoutError

    if isinstance(exc, APIConnectionError):
        return isinstance(exc, APITimeoutError)
    if isinstance(exc, APIStatusError):
        return exc.status_code >= 500
    return True  # e.g. a 200 whose body could not be read: the file is there


def _imagekit_delete_named(name: str) -> None:
    """Best effort: deletes the files called ``name`` in our folder (an upload that timed out or
    failed after ImageKit stored it), so no orphan stays behind. Failures are logged, not raised.
    An upload ImageKit finishes only after this look-up can still be left over."""
    try:
        with _imagekit_client() as client:
            found = client.assets.list(path=settings.IMAGEKIT_FOLDER, search_query=f'name = "{name}"',
                                       file_type="all", limit=10)
        # a listing may hold folders too (no file_id); only files of exactly this name count
        file_ids = [item.file_id for item in found
                    if getattr(item, "name", None) == name and getattr(item, "file_id", None)]
    except Exception as exc:
        logger.warning("could not look for a partly uploaded picture %s: %s: %s", name, type(exc).__name__, exc)
        return
    for file_id in file_ids:
        logger.info("deleting picture %s (%s) left by a failed upload", name, file_id)
        _delete_file(file_id=file_id)


def _imagekit_delete(file_id: str) -> None:
    from imagekitio import NotFoundError

    with _imagekit_client() as client:
        try:
            client.files.delete(file_id)
        except NotFoundError:
            logger.info("ImageKit file %s was already gone", file_id)


# --- Storage routing ------------------------------------------------------------------------
def _store(*, user, data: bytes) -> StoredPicture:
    if _imagekit_configured():
        return _imagekit_save(user=user, data=data)
    return _local_save(user=user, data=data)


def _delete_file(*, file_id: str) -> None:
    """Delete a stored picture, best effort: failures are logged, never raised."""
    try:
        if file_id.startswith(LOCAL_PREFIX):
            _local_delete(file_id[len(LOCAL_PREFIX):])
        elif _imagekit_configured():
            _imagekit_delete(file_id)
        else:
            logger.warning("cannot delete ImageKit file %s: ImageKit is not configured", file_id)
    except Exception as exc:
        logger.warning("could not delete old profile picture %s: %s: %s", file_id, type(exc).__name__, exc)


def _delete_replaced(*, old: StoredPicture, new: StoredPicture) -> None:
    if _is_default(location=old.location, file_id=old.file_id) or old.file_id == new.file_id:
        return
    _delete_file(file_id=old.file_id)


# --- The operation --------------------------------------------------------------------------
def profile_picture_replace(*, user, upload):
    """Replace ``user``'s profile picture with ``upload`` (Django UploadedFile or bytes).

    Checks the upload (:func:`picture_open`), normalises it (:func:`picture_process`), stores the
    new file, saves ``profile_picture`` and ``file_id`` in a transaction, and once that is committed
    deletes the previous file (best effort; the default picture is never deleted). Returns ``user``
    with the new values.

    Raises PayloadTooLarge / UnsupportedMediaType / InvalidInput for a bad upload, UpstreamError
    when ImageKit fails (the user row is then unchanged; a file it may have stored is found by name
    and deleted, best effort),
    ServiceUnavailable when local storage cannot be written, NotFound if the user vanished.
    """
    data = picture_process(image=picture_open(upload=upload))
    new = _store(user=user, data=data)
    User = get_user_model()
    try:
        with transaction.atomic():
            row = User.objects.select_for_update().only("pk", "profile_picture", "file_id").get(pk=user.pk)
            old = StoredPicture(location=row.profile_picture, file_id=row.file_id)
            row.profile_picture = new.location
            row.file_id = new.file_id
            row.save(update_fields=["profile_picture", "file_id"])
            # The old file goes only once the new URL is committed (immediately when no outer
            # transaction is open); if the outer transaction rolls back, the old file stays.
            transaction.on_commit(partial(_delete_replaced, old=old, new=new))
    except BaseException as exc:
        _delete_file(file_id=new.file_id)
        if isinstance(exc, User.DoesNotExist):
            raise NotFound("user not found") from None
        raise
    user.profile_picture = new.location
    user.file_id = new.file_id
    return user


def profile_picture_erase(*, user) -> None:
    """Deletes ``user``'s stored picture file (the default picture has none). Unlike the
    best-effort clean-up after a replacement, a failure is raised, so that an account deletion
    stops before anything else is deleted: UpstreamError when ImageKit fails, ServiceUnavailable
    when local storage fails or the file is at ImageKit while ImageKit is not configured. A file
    that is already gone counts as deleted. The user row is not changed."""
    file_id = user.file_id
    if _is_default(location=user.profile_picture, file_id=file_id):
        return
    if file_id.startswith(LOCAL_PREFIX):
        try:
            _local_delete(file_id[len(LOCAL_PREFIX):])
        except OSError:
            logger.exception("could not delete a local profile picture")
            raise ServiceUnavailable(ERASE_FAILED_MESSAGE) from None
        return
    if not _imagekit_configured():
        logger.warning("cannot delete ImageKit file %s: ImageKit is not configured", file_id)
        raise ServiceUnavailable(ERASE_FAILED_MESSAGE)
    try:
        _imagekit_delete(file_id)
    except Exception as exc:
        logger.warning("could not delete profile picture %s: %s: %s", file_id, type(exc).__name__, exc)
        raise UpstreamError(ERASE_FAILED_MESSAGE) from None
