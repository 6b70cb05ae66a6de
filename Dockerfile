# Vexora web image: gunicorn serving Django, run as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN groupadd --system vexora && useradd --system --gid vexora --create-home --home-dir /home/vexora vexora

# gettext: the translation catalogues (locale/) are compiled into the image below.
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=vexora:vexora . .
RUN SECRET_KEY=build-only-compilemessages-key-not-used-at-run-time DEBUG=true \
    python manage.py compilemessages --ignore '.venv' --verbosity 0
RUN mkdir -p /app/media /app/staticfiles && chown -R vexora:vexora /app/media /app/staticfiles \
    && chmod +x docker/entrypoint.sh

USER vexora
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"
ENTRYPOINT ["docker/entrypoint.sh"]
# Workers, threads, timeouts and logs: gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS, ...).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "vexora.wsgi:application"]
