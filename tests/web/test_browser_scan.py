"""In a real browser: a scan with the (fake) webcam, the upload fallback when there is no camera,
and a bad upload. The photo is the public-domain test portrait; the mood model is the real one."""

import re

import pytest

from history.models import HistoryEntry
from tests.web.conftest import ASTRONAUT, SCAN_TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

MOODS = ("Happy", "Sad", "Angry", "Neutral (calm)")
RESULT_URL = re.compile(r"/result/[0-9a-f-]{36}/$")


def assert_result_page(page, user):
    entry = HistoryEntry.objects.get(user=user)
    assert page.url.endswith(f"/result/{entry.uuid}/")
    mood = page.locator(".detected-mood").inner_text()
    assert mood in MOODS
    assert mood.split()[0].lower() == entry.mood
    assert page.locator(".confidence").inner_text() == f"{round(entry.confidence * 100)}%"
    assert page.locator(".prob-bars li").count() == 4
    tracks = page.locator("ol.tracks > li")
    assert tracks.count() == 10
    assert list(entry.items.order_by("position").values_list("track__name", flat=True)) == \
        tracks.locator(".track-name").all_inner_texts()
    first_link = tracks.first.get_by_role("link")
    assert first_link.get_attribute("href").startswith("https://open.spotify.com/track/")
    return entry


def test_scan_with_the_webcam_ends_on_the_result(page, live_server, web_user, web_catalog, settings, shoot):
    log_in(page, live_server, web_user)
    page.get_by_role("link", name="Scan", exact=True).click()
    page.wait_for_url(f"{live_server.url}/scan/")
    capture = page.get_by_role("button", name="Capture and read my mood")
    page.wait_for_function("() => !document.getElementById('capture-button').disabled")
    assert "Camera on" in page.locator("#camera-status").inner_text()
    assert page.locator("#camera-video").evaluate("v => v.videoWidth") == 640
    assert "scaleX(-1)" in page.locator("#camera-video").evaluate("v => getComputedStyle(v).transform") or \
        page.locator("#camera-video").evaluate("v => getComputedStyle(v).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    page.wait_for_timeout(300)  # a few frames in
    shoot(page, "scan-webcam")

    # A refusal from the server is shown on the page and the camera stays ready for another try.
    limit = settings.MOOD_UPLOAD_MAX_BYTES
    settings.MOOD_UPLOAD_MAX_BYTES = 1024
    capture.click()
    error = page.locator("#camera-error")
    error.wait_for(state="visible", timeout=SCAN_TIMEOUT_MS)
    assert error.inner_text() == "The image is larger than 1 KB."
    assert page.locator("#camera-video").is_visible() and capture.is_enabled()
    assert page.locator("#scan-progress").is_hidden()
    assert not HistoryEntry.objects.exists()
    shoot(page, "scan-webcam-error")
    settings.MOOD_UPLOAD_MAX_BYTES = limit

    # The progress message may show for a split second only: note every text it shows (kept in
    # sessionStorage, which survives the move to the result page).
    page.evaluate("""() => {
        const box = document.getElementById('scan-progress');
        new MutationObserver(() => {
            if (!box.hidden) sessionStorage.setItem('progress', (sessionStorage.getItem('progress') || '') + '|' +
                                                    box.textContent.trim());
        }).observe(box, {attributes: true, childList: true, subtree: true, characterData: true});
    }""")
    capture.click()
    page.wait_for_url(RESULT_URL, timeout=SCAN_TIMEOUT_MS)
    shown = page.evaluate("() => sessionStorage.getItem('progress')")
    assert "Reading your mood" in shown, shown

    entry = assert_result_page(page, web_user)
    assert entry.strategy == "match"
    assert "Mood read" in page.locator(".messages").inner_text()
    shoot(page, "result")
    assert not page.problems, page.problems


def test_when_the_camera_is_denied_the_upload_fallback_works(camera_denied_page, live_server, web_user, web_catalog,
                                                            shoot):
    page = camera_denied_page
    log_in(page, live_server, web_user)
    page.goto(f"{live_server.url}/scan/")
    status = page.locator("#camera-status")
    page.wait_for_function("() => /denied/.test(document.getElementById('camera-status').textContent)")
    assert status.inner_text() == "Camera access was denied. Upload a photo of your face instead."
    assert page.get_by_role("button", name="Capture and read my mood").is_hidden()
    shoot(page, "scan-camera-denied")

    page.get_by_label("Lifts my mood").check()
    page.get_by_label("Photo of your face").set_input_files(str(ASTRONAUT))
    page.locator("#upload-preview").wait_for(state="visible")  # the chosen photo is previewed
    page.get_by_role("button", name="Read my mood from this photo").click()
    page.wait_for_url(RESULT_URL, timeout=SCAN_TIMEOUT_MS)

    entry = assert_result_page(page, web_user)
    assert entry.strategy == "uplift"
    assert not page.problems, page.problems


def test_a_file_that_is_not_an_image_shows_its_error(camera_less_page, live_server, web_user, tmp_path, shoot):
    page = camera_less_page
    fake = tmp_path / "holiday.jpg"
    fake.write_text("this is a text file wearing a .jpg name\n")
    log_in(page, live_server, web_user)
    page.goto(f"{live_server.url}/scan/")
    page.wait_for_function("() => /No camera/.test(document.getElementById('camera-status').textContent)")
    assert page.locator("#camera-status").inner_text() == "No camera was found. Upload a photo of your face instead."
    shoot(page, "scan-no-camera")
    page.get_by_label("Photo of your face").set_input_files(str(fake))
    page.get_by_role("button", name="Read my mood from this photo").click()
    page.wait_for_load_state()

    error = page.locator("#id_image_error")
    assert error.inner_text() == "The file is not a PNG or JPEG image."
    assert page.get_by_label("Photo of your face").get_attribute("aria-invalid") == "true"
    assert "could not be read" in page.locator(".messages").inner_text()
    assert not HistoryEntry.objects.exists()
    shoot(page, "scan-bad-upload")
    assert not page.problems, page.problems
