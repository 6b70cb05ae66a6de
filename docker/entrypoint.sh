#!/bin/sh
# Runs the container's command (gunicorn, a Celery worker or beat). With VEXORA_SETUP=1 (the
# default, so one `docker run` of the image is a working app) it first migrates the database, loads
# the shipped data and collects the static files; docker-compose.yml does that once, in its `setup`
# service, and starts every web replica, worker and beat with VEXORA_SETUP=0.
set -e
if [ "${VEXORA_SETUP:-1}" = "1" ]; then
  python manage.py migrate --noinput
  python manage.py setup_app
  python manage.py collectstatic --noinput --verbosity 0
fi
exec "$@"
