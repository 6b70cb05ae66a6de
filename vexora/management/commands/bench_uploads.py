"""Memory of the whole server under concurrent worst-case uploads.

    python manage.py bench_uploads                   # the Dockerfile's server: 2 workers x 4 threads, 8 at once
    python manage.py bench_uploads --json
    python manage.py bench_uploads --pixels 39700000 # other caps (and pictures at them) for the server
    python manage.py bench_uploads --app-dir ../other-checkout   # serve another checkout's code
    python manage.py bench_uploads --inference worker --redis redis://127.0.0.1:6379/7
                                                     # the web tier without torch, plus one inference worker

Starts gunicorn the way the Dockerfile does (``vexora.wsgi:application``, ``--workers 2 --threads 4
--timeout 60``) on 127.0.0.1, on the configured database (DATABASE_URL, else the embedded SQLite;
``--migrate`` applies the migrations first). Creates one user per concurrent upload (deleted at the
end) and signs each a JWT. The server's pictures go to a temporary MEDIA_ROOT and Spotify and
ImageKit are switched off for it, so nothing needs the network.

Warm-up: small selfies until every worker has loaded the mood model; then the idle memory. Then,
for each worst-case upload, ``--concurrency`` requests at once, while the memory of the whole
process tree (master + workers) is read from /proc every 20 ms:

- mood-detection and profile picture, each with: an RGBA PNG at the cap (``SELFIE_MAX_PIXELS``,
  ``PICTURE_MAX_PIXELS``; PNG cannot be decoded at a reduced scale), a progressive CMYK JPEG at the
  cap (libjpeg keeps all its coefficients: the costliest JPEG), and a sequential JPEG declaring
  ``IMAGE_MAX_PIXELS`` (a phone photo bigger than the cap, decoded at a reduced scale). The selfies
  hold a face (the test portrait), so a detection runs to the end.
- one PNG a row above each cap, which must be refused.

Prints each round's answers and the peak RSS and PSS of the whole server (RSS counts the pages the
workers share, such as torch's libraries, once per process; PSS shares them out).

``--inference worker`` runs the layout of docs/scaling.md: gunicorn with ``MOOD_INFERENCE=worker``
(its processes never import torch) and a Celery worker consuming the ``inference`` queue
(``--inference-workers`` processes), both on the Redis given by ``--redis`` (broker and selfies in
transit). The web server's tree and the inference worker's tree are measured apart.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

DEFAULT_FACE = Path(settings.BASE_DIR) / "tests" / "moods" / "data" / "astronaut.jpg"
MOOD_PATH = "/api/v1/mood-detection"
PICTURE_PATH = "/api/v1/user/profile-picture"
SAMPLE_SECONDS = 0.02
MB = 1024 * 1024


# --- The process tree's memory (/proc) --------------------------------------------------------
def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
            except OSError:
                pass
    return pids


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_memory(pid: int) -> dict:
    """RSS, PSS and the peak RSS so far (VmHWM) of one process, in KB (0 when it is gone)."""
    return {"rss": _kb(f"/proc/{pid}/status", "VmRSS:"), "hwm": _kb(f"/proc/{pid}/status", "VmHWM:"),
            "pss": _kb(f"/proc/{pid}/smaps_rollup", "Pss:")}


def tree_memory(root: int) -> dict:
    """The whole tree's RSS and PSS in KB, and each process's memory."""
    per_process = {pid: process_memory(pid) for pid in process_tree(root)}
    return {"rss": sum(m["rss"] for m in per_process.values()),
            "pss": sum(m["pss"] for m in per_process.values()), "processes": per_process}


class Sampler:
    """Reads the memory of each process tree every SAMPLE_SECONDS in a thread and keeps each
    tree's peaks (``peaks[root] = {"rss", "pss"}``, KB)."""

    def __init__(self, *roots: int):
        self.peaks = {root: {"rss": 0, "pss": 0} for root in roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _read(self):
        for root, peak in self.peaks.items():
            memory = tree_memory(root)
            peak["rss"], peak["pss"] = max(peak["rss"], memory["rss"]), max(peak["pss"], memory["pss"])

    def _run(self):
        while not self._stop.is_set():
            self._read()
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._read()  # one last reading after the answers


# --- The uploads ------------------------------------------------------------------------------
@dataclass
class Upload:
    name: str
    method: str
    path: str
    filename: str
    data: bytes
    size: tuple[int, int]
    expected: int = 200


def size_for(pixels: int, *, extra_row: bool = False) -> tuple[int, int]:
    """A 4:3 landscape size of at most ``pixels`` pixels (one row more with ``extra_row``)."""
    height = max(1, math.isqrt(pixels * 3 // 4))
    width = max(1, pixels // height)
    return width, height + (1 if extra_row else 0)


def canvas_with_face(size, face) -> "Image.Image":
    """A grey picture of ``size`` with ``face`` scaled to half its shorter side, in the middle."""
    from PIL import Image

    side = max(1, min(size) // 2)
    canvas = Image.new("RGB", size, (128, 128, 128))
    canvas.paste(face.resize((side, side), Image.Resampling.BILINEAR),
                 ((size[0] - side) // 2, (size[1] - side) // 2))
    return canvas


def encode(image, kind: str) -> bytes:
    out = BytesIO()
    if kind == "png-rgba":
        image.convert("RGBA").save(out, "PNG", compress_level=6)
    elif kind == "jpeg-progressive-cmyk":
        image.convert("CMYK").save(out, "JPEG", quality=90, progressive=True, subsampling=0)
    elif kind == "jpeg":
        image.save(out, "JPEG", quality=90)
    else:
        raise ValueError(kind)
    return out.getvalue()


def multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "bench-" + secrets.token_hex(12)
    content_type = "image/png" if filename.endswith(".png") else "image/jpeg"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send(port: int, upload: Upload, token: str, timeout: float) -> tuple[int, str]:
    body, content_type = multipart(upload.filename, upload.data)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(upload.method, upload.path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": content_type, "Host": "127.0.0.1"})
        response = conn.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException) as exc:
        return 0, f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    try:
        message = json.loads(raw).get("message", "")
    except (ValueError, AttributeError):
        message = raw[:80].decode(errors="replace")
    return response.status, message


def send_together(port: int, upload: Upload, tokens: list[str], timeout: float) -> list[tuple[int, str]]:
    """One request per token, released together."""
    barrier = threading.Barrier(len(tokens))

    def one(token):
        barrier.wait()
        return send(port, upload, token, timeout)

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(pool.map(one, tokens))


# --- The command ------------------------------------------------------------------------------
class Command(BaseCommand):
    help = "Peak memory (RSS, PSS) of the whole gunicorn server while it answers concurrent worst-case uploads."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (Dockerfile: 2)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (Dockerfile: 4)")
        parser.add_argument("--concurrency", type=int, default=8, help="uploads sent at once (default 8)")
        parser.add_argument("--pixels", type=int, default=0,
                            help="run the server with SELFIE_MAX_PIXELS and PICTURE_MAX_PIXELS set to this "
                                 "(default: as configured) and send pictures of that size")
        parser.add_argument("--declared-pixels", type=int, default=0,
                            help="run the server with IMAGE_MAX_PIXELS set to this (default: as configured) "
                                 "and send sequential JPEGs of that size")
        parser.add_argument("--face", default=str(DEFAULT_FACE), help="photo of a face for the selfies")
        parser.add_argument("--app-dir", default=str(settings.BASE_DIR),
                            help="checkout whose code the server runs (default: this one)")
        parser.add_argument("--migrate", action="store_true", help="apply the migrations to the database first")
        parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for one answer")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--inference", choices=("inline", "worker"), default="inline",
                            help="inline: the model in every web worker (default); worker: a Celery inference worker")
        parser.add_argument("--inference-workers", type=int, default=1,
                            help="processes of the inference worker (--inference worker; default 1)")
        parser.add_argument("--redis", default="",
                            help="Redis URL for the broker and the selfies in transit (--inference worker)")

    def handle(self, *args, **opts):
        if opts["inference"] == "worker" and not opts["redis"]:
            raise CommandError("--inference worker needs --redis redis://HOST:PORT/DB (broker and selfies in transit)")
        for name in ("workers", "threads", "concurrency", "inference_workers"):
            if opts[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        if opts["pixels"] < 0 or opts["declared_pixels"] < 0:
            raise CommandError("--pixels and --declared-pixels cannot be negative")
        caps = {"SELFIE_MAX_PIXELS": opts["pixels"] or settings.SELFIE_MAX_PIXELS,
                "PICTURE_MAX_PIXELS": opts["pixels"] or settings.PICTURE_MAX_PIXELS,
                "IMAGE_MAX_PIXELS": opts["declared_pixels"] or settings.IMAGE_MAX_PIXELS}
        if not os.path.isdir("/proc/self/task"):
            raise CommandError("bench_uploads reads memory from /proc: it needs Linux")
        app_dir = Path(opts["app_dir"]).resolve()
        if not (app_dir / "vexora" / "wsgi.py").is_file():
            raise CommandError(f"--app-dir: no vexora/wsgi.py in {app_dir}")
        if opts["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database is not migrated: run manage.py migrate (or pass --migrate)")

        uploads = self._uploads(opts, caps)
        users = self._users(opts["concurrency"])
        media = tempfile.mkdtemp(prefix="bench-uploads-media-")
        try:
            tokens = self._tokens(users)
            report = self._run(opts, caps, app_dir, media, uploads, tokens)
        finally:
            users.delete()  # with their history entries
            shutil.rmtree(media, ignore_errors=True)
        self._print(report, as_json=opts["json"])

    # --- set-up ---------------------------------------------------------------------------------
    def _uploads(self, opts, caps: dict) -> list[Upload]:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(opts["face"]) as src:
                face = src.convert("RGB")
        except (OSError, UnidentifiedImageError) as exc:
            raise CommandError(f"--face: {opts['face']} is not a readable image ({exc})") from None
        cap = {"mood": caps["SELFIE_MAX_PIXELS"], "picture": caps["PICTURE_MAX_PIXELS"]}
        declared = caps["IMAGE_MAX_PIXELS"]
        cache: dict = {}

        def picture(size, kind) -> bytes:
            if (size, kind) not in cache:
                cache[(size, kind)] = encode(canvas_with_face(size, face), kind)
            return cache[(size, kind)]

        uploads = []
        for target, method, path in (("mood", "POST", MOOD_PATH), ("picture", "PUT", PICTURE_PATH)):
            at_cap, phone = size_for(cap[target]), size_for(declared)
            for kind, size, label in (("png-rgba", at_cap, "RGBA PNG at the cap"),
                                      ("jpeg-progressive-cmyk", at_cap, "progressive CMYK JPEG at the cap"),
                                      ("jpeg", phone, "sequential JPEG at IMAGE_MAX_PIXELS")):
                suffix = "png" if kind.startswith("png") else "jpg"
                uploads.append(Upload(f"{target} {label}", method, path, f"bench.{suffix}", picture(size, kind), size))
            above = size_for(cap[target], extra_row=True)
            uploads.append(Upload(f"{target} PNG a row above the cap", method, path, "bench.png",
                                  picture(above, "png-rgba"), above, expected=400))
        return uploads

    def _users(self, count: int):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        prefix = f"bench-uploads-{secrets.token_hex(4)}"
        for i in range(count):
            User.objects.create_user(username=f"{prefix}-{i}", email=f"{prefix}-{i}@bench.invalid",
                                     password=None, name="Upload benchmark", email_verified=True)
        return User.objects.filter(username__startswith=prefix)

    @staticmethod
    def _tokens(users) -> list[str]:
        from accounts.services import token_pair_issue

        return [token_pair_issue(user=user)["access_token"] for user in users.order_by("username")]

    # --- the server -----------------------------------------------------------------------------
    def _server_env(self, media: str, caps: dict, opts: dict) -> dict:
        env = dict(os.environ)
        database = settings.DATABASES["default"]
        if "DATABASE_URL" not in env and database["ENGINE"].endswith("sqlite3"):
            env["DATABASE_URL"] = f"sqlite:///{Path(database['NAME']).resolve()}"  # same file as ours
        env.update({
            "SECRET_KEY": settings.SECRET_KEY,  # the tokens signed here must be valid there
            "JWT_SIGNING_KEY": settings.SIMPLE_JWT["SIGNING_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": media,
            "IMAGEKIT_PRIVATE_KEY": "",
            "SPOTIFY_CLIENT_ID": "",
            "SPOTIFY_CLIENT_SECRET": "",
            "PYTHONDONTWRITEBYTECODE": "1",
            **{name: str(value) for name, value in caps.items()},
        })
        if opts["inference"] == "worker":
            env.update({"MOOD_INFERENCE": "worker", "CELERY_BROKER_URL": opts["redis"],
                        "MOOD_INFERENCE_REDIS_URL": opts["redis"]})
        else:
            env["MOOD_INFERENCE"] = "inline"
        return env

    def _run(self, opts, caps: dict, app_dir: Path, media: str, uploads: list[Upload], tokens: list[str]) -> dict:
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "vexora.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(opts["workers"]), "--threads", str(opts["threads"]), "--timeout", "60",
                   "--chdir", str(app_dir)]
        env = self._server_env(media, caps, opts)
        log = tempfile.NamedTemporaryFile(prefix="bench-uploads-", suffix=".log", delete=False)
        processes = {"web": subprocess.Popen(command, cwd=app_dir, env=env, stdout=log, stderr=log,
                                             start_new_session=True)}
        if opts["inference"] == "worker":
            processes["inference"] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "vexora", "worker", "-Q", "inference",
                 "--concurrency", str(opts["inference_workers"]), "--pool", "prefork", "--loglevel", "WARNING",
                 "--hostname", f"bench-inference-{port}@%h"],
                cwd=app_dir, env=env, stdout=log, stderr=log, start_new_session=True)
        roots = {name: process.pid for name, process in processes.items()}
        try:
            self._wait_ready(processes["web"], port, log.name)
            self._warm_up(roots, port, tokens, opts)
            time.sleep(1.0)
            idle = {name: tree_memory(root) for name, root in roots.items()}
            rounds = []
            for upload in uploads:
                sending = tokens if upload.expected == 200 else tokens[:1]
                started = time.perf_counter()
                with Sampler(*roots.values()) as sampler:
                    answers = send_together(port, upload, sending, opts["timeout"])
                rounds.append({
                    "upload": upload.name, "size": list(upload.size), "bytes": len(upload.data),
                    "requests": len(sending), "expected": upload.expected,
                    "answers": dict(Counter(str(status) for status, _ in answers)),
                    "messages": sorted({message for _, message in answers}),
                    "seconds": round(time.perf_counter() - started, 2),
                    "peak_mb": {name: {"rss": round(sampler.peaks[root]["rss"] / 1024),
                                       "pss": round(sampler.peaks[root]["pss"] / 1024)} for name, root in roots.items()},
                })
            final = {name: tree_memory(root) for name, root in roots.items()}
            torch_in_web = any(_has_torch(pid) for pid in process_tree(roots["web"]))
        finally:
            for process in reversed(processes.values()):
                _stop(process)
            log.close()
        os.unlink(log.name)  # kept only when the run failed (the error names it)
        return {
            "server": " ".join(["gunicorn", *command[3:-2]]), "app_dir": str(app_dir),
            "workers": opts["workers"], "threads": opts["threads"], "concurrency": opts["concurrency"],
            "inference": opts["inference"], "inference_workers": opts["inference_workers"] if "inference" in roots else 0,
            "torch_in_web": torch_in_web, "caps": caps,
            "idle": {name: {"rss_mb": round(memory["rss"] / 1024), "pss_mb": round(memory["pss"] / 1024),
                            "processes": len(memory["processes"])} for name, memory in idle.items()},
            "rounds": rounds,
            "peak_mb": {name: {kind: max(r["peak_mb"][name][kind] for r in rounds) for kind in ("rss", "pss")}
                        for name in roots},
            "hwm_sum_mb": {name: round(sum(m["hwm"] for m in memory["processes"].values()) / 1024)
                           for name, memory in final.items()},
        }

    @staticmethod
    def _wait_ready(server, port: int, log: str, seconds: float = 60.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}; see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError(f"gunicorn did not answer /healthz within {seconds:.0f} s; see {log}")

    def _warm_up(self, roots: dict, port: int, tokens: list[str], opts, rounds: int = 8):
        """Small selfies and pictures until every process that runs the model has loaded it: the
        web workers (inline), or the inference worker's processes (worker)."""
        from PIL import Image

        with Image.open(opts["face"]) as src:
            small = encode(canvas_with_face((640, 480), src.convert("RGB")), "jpeg")
        selfie = Upload("warm-up", "POST", MOOD_PATH, "warm.jpg", small, (640, 480))
        picture = Upload("warm-up", "PUT", PICTURE_PATH, "warm.jpg", small, (640, 480))
        at_once = (tokens * opts["workers"] * opts["threads"])[: opts["workers"] * opts["threads"]]
        model_root = roots.get("inference", roots["web"])
        if "inference" in roots:  # the worker loads the model as it starts: until then selfies answer 503
            deadline = time.monotonic() + 180
            while send(port, selfie, tokens[0], opts["timeout"])[0] != 200:
                if time.monotonic() > deadline:
                    raise CommandError("the inference worker did not answer a selfie within 180 s")
                time.sleep(1.0)
        for _ in range(rounds):
            answers = send_together(port, selfie, at_once, opts["timeout"])
            answers += [send(port, picture, token, opts["timeout"]) for token in tokens[:opts["workers"]]]
            # With an inference worker a selfie may wait its turn past MOOD_INFERENCE_TIMEOUT (503):
            # the warm-up only needs the worker's model loaded, which the first answer proved.
            bad = [a for a in answers if a[0] != 200 and not ("inference" in roots and a[0] == 503)]
            if bad:
                raise CommandError(f"warm-up uploads failed: {bad[:3]}")
            workers = process_tree(model_root)[1:]
            if workers and all(_has_torch(pid) for pid in workers):
                return
        raise CommandError("not every worker loaded the mood model during the warm-up")

    # --- output ---------------------------------------------------------------------------------
    def _print(self, report: dict, *, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
            return
        caps = report["caps"]
        write = self.stdout.write
        names = list(report["idle"])
        write(f"{report['server']}  (code: {report['app_dir']}), inference {report['inference']}"
              + (f" ({report['inference_workers']} Celery process(es))" if report["inference"] == "worker" else ""))
        write(f"caps: selfie {caps['SELFIE_MAX_PIXELS']:,} px, picture {caps['PICTURE_MAX_PIXELS']:,} px, "
              f"declared at most {caps['IMAGE_MAX_PIXELS']:,} px")
        write(f"torch in the web server's processes: {'yes' if report['torch_in_web'] else 'no'}")
        for name in names:
            idle = report["idle"][name]
            write(f"idle, {name} ({idle['processes']} processes): RSS {idle['rss_mb']} MB, PSS {idle['pss_mb']} MB")
        write("")
        peaks = "".join(f" {name + ' RSS':>15} {name + ' PSS':>15}" for name in names)
        write(f"{'upload':<48} {'size':>11} {'file':>8} {'answers':<16}{peaks} {'time':>7}")
        for r in report["rounds"]:
            answers = ", ".join(f"{code} x{n}" for code, n in sorted(r["answers"].items()))
            size = f"{r['size'][0]}x{r['size'][1]}"
            peaks = "".join(f" {r['peak_mb'][name]['rss']:>12} MB {r['peak_mb'][name]['pss']:>12} MB" for name in names)
            write(f"{r['upload']:<48} {size:>11} {r['bytes'] / MB:>6.2f}MB {answers:<16}{peaks} {r['seconds']:>5.1f} s")
            if set(r["answers"]) != {str(r["expected"])}:
                write(f"{'':<4}expected {r['expected']}; answered: {'; '.join(r['messages'])}")
        write("")
        for name in names:
            idle, peak = report["idle"][name], report["peak_mb"][name]
            write(f"peak of the {name} tree: RSS {peak['rss']} MB (+{peak['rss'] - idle['rss_mb']} MB over idle), "
                  f"PSS {peak['pss']} MB (+{peak['pss'] - idle['pss_mb']} MB); "
                  f"highest RSS of each process (VmHWM), summed: {report['hwm_sum_mb'][name]} MB")


def _has_torch(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/maps") as maps:
            return any("libtorch" in line for line in maps)
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(server: subprocess.Popen):
    """Stops the gunicorn we started (its master, which stops its workers)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
