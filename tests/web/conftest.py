"""Fixtures for the page tests: Django-client helpers, and for the real-browser tests Debian's
Chromium driven by Playwright (``executable_path=/usr/bin/chromium``, never a downloaded browser)
against pytest-django's ``live_server``, with a fake webcam playing the test portrait.

The live server runs in a thread of this process: the browser tests use ``transactional_db`` so
that what a test writes is committed and visible to the server, and what the server writes is
visible to the test (``mail.outbox`` is shared too).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
ASTRONAUT = ROOT / "tests" / "moods" / "data" / "astronaut.jpg"  # public domain NASA portrait
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = Path("/usr/bin/chromium")
# DESIGN.md, "Browser tests": what makes Debian's Chromium run headless here, offline and quiet.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
BROWSER_TIMEOUT_MS = 20_000
ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}
SCAN_TIMEOUT_MS = 90_000  # the first detection loads the CNN and MTCNN (the CPU may be shared)


# --- Django client helpers ---------------------------------------------------------------------
@pytest.fixture
def signed_in(client, user):
    """The Django test client with a session signed in as ``user``."""
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def other_user(db):
    """Someone else, whose things must never show on the signed-in person's pages."""
    return UserFactory()


@pytest.fixture
def catalog(db):
    """A small music catalog (tracks by 48 artists spread over valence/energy): enough for the
    recommender to fill a list of ten for every mood and strategy."""
    from tests.history.factories import catalog_tracks

    return catalog_tracks(48)


# --- Browser ----------------------------------------------------------------------------------
def write_y4m(image_path: Path, destination: Path, *, size=(640, 480), frames: int = 2) -> Path:
    """A Y4M video (C420, BT.601 limited range 16-235/16-240, what Chromium's fake capture device
    expects) showing ``image_path`` scaled into the frame on a grey background."""
    import numpy as np
    from PIL import Image

    width, height = size
    with Image.open(image_path) as source:
        portrait = source.convert("RGB")
    scale = min(width / portrait.width, height / portrait.height)
    portrait = portrait.resize((round(portrait.width * scale), round(portrait.height * scale)), Image.LANCZOS)
    canvas = Image.new("RGB", size, (128, 128, 128))
    canvas.paste(portrait, ((width - portrait.width) // 2, (height - portrait.height) // 2))
    rgb = np.asarray(canvas, dtype=np.float64) / 255.0
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + 219 * (0.299 * r + 0.587 * g + 0.114 * b)
    cb = 128 + 224 * (-0.168736 * r - 0.331264 * g + 0.5 * b)
    cr = 128 + 224 * (0.5 * r - 0.418688 * g - 0.081312 * b)

    def subsample(plane):  # 4:2:0: the mean of each 2x2 block
        return plane.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3))

    planes = [np.clip(np.rint(p), lo, hi).astype(np.uint8)
              for p, lo, hi in ((y, 16, 235), (subsample(cb), 16, 240), (subsample(cr), 16, 240))]
    frame = b"FRAME\n" + b"".join(p.tobytes() for p in planes)
    with destination.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F15:1 Ip A1:1 C420\n".encode("ascii"))
        for _ in range(frames):
            out.write(frame)
    return destination


@pytest.fixture(scope="session")
def fake_webcam(tmp_path_factory) -> Path:
    return write_y4m(ASTRONAUT, tmp_path_factory.mktemp("webcam") / "astronaut.y4m")


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (run .ci/install-system)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run while
    # one exists unless told it is safe (it is: the loop only drives the browser).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


# The contexts depend on live_server so that they close first: Chromium's keep-alive connections
# end before the server thread stops (else their request threads outlive the shared database).
def _launch(driver, profile_dir: Path, extra_args: list[str], *, service_workers: str = "block",
            timezone_id: str = "UTC", accept_downloads: bool = False, locale: str = "en-GB"):
    """``locale``: the browser's language (its Accept-Language and ``navigator.language``)."""
    context = driver.chromium.launch_persistent_context(
        str(profile_dir), executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_FLAGS, *extra_args],
        viewport=DESKTOP, locale=locale, timezone_id=timezone_id, accept_downloads=accept_downloads,
        service_workers=service_workers,  # blocked unless a test is about the worker: requests stay routable
    )
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context


def _webcam_args(fake_webcam: Path) -> list[str]:
    """Chromium's flags for a fake webcam playing ``fake_webcam``, allowed without asking."""
    return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_webcam.resolve()}"]


@pytest.fixture(scope="session")
def browser_context(playwright_driver, live_server, fake_webcam, tmp_path_factory):
    """Chromium with a fresh profile for the session and a fake webcam playing the portrait."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile"), _webcam_args(fake_webcam))
    yield context
    context.close()


@pytest.fixture(scope="session")
def indonesian_context(playwright_driver, live_server, fake_webcam, tmp_path_factory):
    """Chromium speaking Indonesian (locale id-ID: its Accept-Language and navigator.language), in
    Jakarta, with the fake webcam."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile-id"), _webcam_args(fake_webcam),
                      timezone_id="Asia/Jakarta", locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def indonesian_page(indonesian_context, live_server, settings, transactional_db):
    page = _page(indonesian_context, live_server, settings)
    yield page
    page.close()


@pytest.fixture(scope="session")
def installable_context(playwright_driver, live_server, tmp_path_factory):
    """Chromium that lets the site install its service worker (the offline page)."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile-sw"), [], service_workers="allow")
    yield context
    context.close()


@pytest.fixture(scope="session")
def camera_less_context(playwright_driver, live_server, tmp_path_factory):
    """Chromium with no camera at all (this machine has none, and no fake device is given)."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile-nocam"), [])
    yield context
    context.close()


@pytest.fixture(scope="session")
def camera_denied_context(playwright_driver, live_server, fake_webcam, tmp_path_factory):
    """Chromium with a camera whose permission prompt is answered "block"."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile-denied"), [
        "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={fake_webcam.resolve()}",
        "--deny-permission-prompts",
    ])
    yield context
    context.close()


def _page(context, live_server, settings):
    settings.SITE_URL = live_server.url  # absolute URLs the app builds without a request point here
    context.clear_cookies()
    page = context.new_page()
    # What a test ends by checking is empty: script errors, and assets (CSS, JS, images) that failed
    # to load. Pages answering 4xx on purpose (a form with errors) are not problems, nor are loads
    # cancelled because the test moved on to the next page (net::ERR_ABORTED).
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type in ASSET_TYPES else None)
    page.on("requestfailed", lambda request: problems.append(f"failed ({request.failure}): {request.url}")
            if request.resource_type in ASSET_TYPES and "ERR_ABORTED" not in (request.failure or "") else None)
    page.problems = problems
    return page


@pytest.fixture
def page(browser_context, live_server, settings, transactional_db):
    page = _page(browser_context, live_server, settings)
    yield page
    page.close()


@pytest.fixture
def installable_page(installable_context, live_server, settings, transactional_db):
    page = _page(installable_context, live_server, settings)
    yield page
    page.close()


@pytest.fixture
def camera_less_page(camera_less_context, live_server, settings, transactional_db):
    page = _page(camera_less_context, live_server, settings)
    yield page
    page.close()


@pytest.fixture
def camera_denied_page(camera_denied_context, live_server, settings, transactional_db):
    page = _page(camera_denied_context, live_server, settings)
    yield page
    page.close()


@pytest.fixture
def web_user(transactional_db):
    """A verified account (password tests.factories.DEFAULT_PASSWORD) for the browser tests."""
    return UserFactory(name="Ada Lovelace", username="ada")


@pytest.fixture
def web_catalog(transactional_db):
    from tests.history.factories import catalog_tracks

    return catalog_tracks(48)


@pytest.fixture
def shoot():
    """``shoot(page, name)``: a full-page screenshot in test-artifacts/web/<name>.png
    (``full_page=False``: what the screen shows)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def log_in(page, live_server, user, password: str = DEFAULT_PASSWORD):
    """Log in through the login page, as a person would."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/home/")


def assert_accessible(page, name: str = ""):
    """axe-core (the copy shipped in axe-playwright-python) finds no violation on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    found = [f"{v['id']} ({v['impact']}): {[(node['target'], node.get('failureSummary', '')[:200]) for node in v['nodes']][:3]}"
             for v in violations]
    assert not found, f"{name or page.url}: {found}"


def assert_fits(page, name: str = ""):
    """Nothing on the page is wider than the screen."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name or page.url} is {overflow}px wider than the screen"


def in_first_view(page, selector: str) -> bool:
    """The element's box lies inside the first screenful (no scrolling) and nothing covers its
    centre (the phone's tab bar, for one)."""
    return page.evaluate("""(selector) => {
        window.scrollTo(0, 0);
        const el = document.querySelector(selector);
        const box = el.getBoundingClientRect();
        const inside = box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth
            && box.width > 0 && box.height > 0;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return inside && !!hit && el.contains(hit);
    }""", selector)
