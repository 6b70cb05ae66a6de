#!/bin/sh
# Prepares the database and static files, then runs the container's command (gunicorn).
set -e
python manage.py migrate --noinput
python manage.py setup_app
python manage.py collectstatic --noinput --verbosity 0
exec "$@"
