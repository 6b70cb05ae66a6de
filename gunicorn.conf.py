"""gunicorn settings (the Dockerfile and docker-compose.yml run `gunicorn -c gunicorn.conf.py
vexora.wsgi:application`). Everything tunable comes from the environment:

| variable | default | |
|---|---|---|
| GUNICORN_BIND | 0.0.0.0:8000 | address to listen on |
| WEB_CONCURRENCY | 2 | worker processes (each loads the mood model once when inline) |
| GUNICORN_THREADS | 4 | threads per worker process (requests served at once per process) |
| GUNICORN_TIMEOUT | 30 | seconds a request may run before its worker is replaced (see vexora/serving.py) |
| GUNICORN_GRACEFUL_TIMEOUT | 30 | seconds to finish running requests on a restart or stop |
| GUNICORN_KEEPALIVE | 5 | seconds an idle keep-alive connection stays open |
| GUNICORN_MAX_REQUESTS | 0 | recycle a worker after this many requests (0: never), with 10% jitter |
| FORWARDED_ALLOW_IPS | 127.0.0.1 | proxies whose X-Forwarded-* headers gunicorn trusts (`*` behind compose's proxy) |
| GUNICORN_CONTROL_SOCKET | unset (no control socket) | path of gunicorn's control socket for `gunicornc` |
| PROMETHEUS_MULTIPROC_DIR | a fresh directory under /tmp | where the workers' metrics are added up |
| GUNICORN_WARM_MODEL | true | load the mood model when a worker starts (MOOD_INFERENCE=inline only) |

Logs: JSON lines on stdout (access: request id, status, duration) and stderr (gunicorn's own).
"""

import os
import shutil
import tempfile


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
# gthread with a timeout that bounds requests, not only the heartbeat.
worker_class = "vexora.serving.DeadlineThreadWorker"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Each worker imports the app itself: torch's thread pools do not survive a fork.
preload_app = False

# gunicorn's control socket (gunicornc) only when asked for: one path per machine would clash
# between several gunicorn instances on one host.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket

logger_class = "vexora.serving.JsonLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


# Prometheus: every worker writes its metrics under one directory, and /metrics adds them up, so a
# scrape sees the whole server whichever worker answers it (vexora/metrics.py). Set before any
# worker imports prometheus_client; emptied when gunicorn starts.
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(tempfile.gettempdir(), f"vexora-metrics-{os.getpid()}")


def on_starting(server):
    """Forget the metrics of a previous run (only prometheus_client's own *.db files)."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """The app is loaded in this worker: load the mood model now, not on the first selfie."""
    from django.conf import settings

    warm = os.environ.get("GUNICORN_WARM_MODEL", "true").strip().lower() not in ("0", "false", "no")
    if not warm or settings.MOOD_INFERENCE != "inline":
        return
    from moods.inference import model_get  # moods.services.get_detector(), noted for /readyz

    try:
        model_get()
    except Exception as exc:  # the worker still serves everything else; mood detection answers 503
        worker.log.error("mood model not loaded at worker start: %s", exc)
    else:
        worker.log.info("mood model loaded")


def worker_abort(worker):
    """The arbiter aborts a worker whose heartbeat stopped: say which requests held it."""
    overdue = getattr(worker, "overdue", None)
    for what, seconds in overdue() if overdue else []:
        worker.log.error("aborted while serving %s for %.0f s", what, seconds)
