"""Static files: hashed names (cache-busting), gzip copies and a manifest, written by
``collectstatic`` (``make run``, the Docker entrypoint); WhiteNoise serves the hashed names with a
year-long immutable cache and the compressed copy the browser accepts.

Before any ``collectstatic`` (a bare ``runserver``, a fresh checkout) a file has no hashed name
yet: its plain name is used, served from ``static/`` by WhiteNoise's finders, instead of failing
every page. The tests use plain names too (tests/conftest.py), so they always see ``static/`` as it
is; tests/vexora/test_static_files.py checks the collected, hashed output."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # not collected: the plain name (served by the finders)
            return name
