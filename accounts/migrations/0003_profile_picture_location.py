"""profile_picture stores where the picture is, not an absolute URL built from SITE_URL: empty for
the default avatar, the media storage name of a local file, ImageKit's URL for ImageKit files."""

from django.conf import settings
from django.db import migrations, models

LOCAL_PREFIX = "local:"
DEFAULT_AVATAR = "img/default-avatar.png"


def location_from_url(url: str, file_id: str) -> str:
    if file_id.startswith(LOCAL_PREFIX):
        return file_id[len(LOCAL_PREFIX):]
    if not file_id or url.endswith("/" + DEFAULT_AVATAR):
        return ""  # the default avatar, whatever host it was stored with
    return url  # ImageKit's own URL


def url_from_location(location: str, file_id: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    if location.startswith(("https://", "http://")):
        return location
    if not location:
        return f"{site}{settings.STATIC_URL}{DEFAULT_AVATAR}"
    return f"{site}{settings.MEDIA_URL}{location}"


def _rewrite(apps, convert):
    User = apps.get_model("accounts", "User")
    changed = []
    for user in User.objects.only("pk", "profile_picture", "file_id").iterator(chunk_size=500):
        value = convert(user.profile_picture, user.file_id)
        if value != user.profile_picture:
            user.profile_picture = value
            changed.append(user)
    User.objects.bulk_update(changed, ["profile_picture"], batch_size=500)


def forwards(apps, schema_editor):
    _rewrite(apps, location_from_url)


def backwards(apps, schema_editor):
    _rewrite(apps, url_from_location)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_revoked_tokens'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='profile_picture',
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.RunPython(forwards, backwards),
    ]
