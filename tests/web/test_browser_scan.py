"""In a real browser: a scan with the (fake) webcam, the upload fallback when there is no camera,
and a bad upload. The photo is the public-domain test portrait; the mood model is the real one."""

import re

import pytest

from history.models import HistoryEntry
from tests.web.conftest import ASTRONAUT, DESKTOP, PHONE, SCAN_TIMEOUT_MS, in_first_view, log_in

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


# Notes, in sessionStorage (it survives the move to the result page), every text the status line
# shows, and whether the frozen photo was on screen while the steps were.
RECORD_PROGRESS = """() => {
    const status = document.getElementById('camera-status');
    const steps = document.getElementById('scan-steps');
    const still = document.getElementById('capture-still');
    const note = (key, text) => sessionStorage.setItem(key, (sessionStorage.getItem(key) || '') + '|' + text);
    new MutationObserver(() => note('status', status.textContent.trim()))
        .observe(status, {childList: true, subtree: true, characterData: true});
    new MutationObserver(() => { if (!steps.hidden) note('frozen', String(!still.hidden && !!still.src)); })
        .observe(steps, {attributes: true, subtree: true});
}"""
STAGES = ["Sending your photo…", "Finding your face and reading your mood…", "Picking songs for your mood…",
          "Done! Opening your result…"]


def recorded(page, key) -> list[str]:
    return [text for text in (page.evaluate(f"() => sessionStorage.getItem('{key}')") or "").split("|") if text]


def test_scan_with_the_webcam_ends_on_the_result(page, live_server, web_user, web_catalog, settings, shoot):
    log_in(page, live_server, web_user)
    page.get_by_role("link", name="Scan", exact=True).click()
    page.wait_for_url(f"{live_server.url}/scan/")
    capture = page.get_by_role("button", name="Capture and read my mood")
    page.wait_for_function("() => !document.getElementById('capture-button').disabled")
    assert page.locator("#camera-status").inner_text() == "Camera on. Fit your face in the oval and press capture."
    assert page.locator("#face-guide").is_visible()
    assert page.locator("#camera-video").evaluate("v => v.videoWidth") == 640
    assert page.locator("#camera-video").evaluate("v => getComputedStyle(v).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):  # capture without scrolling
        page.set_viewport_size(viewport)
        assert in_first_view(page, "#capture-button"), f"the capture button is out of the first view ({label})"
        page.wait_for_timeout(300)  # a few frames in
        shoot(page, f"scan-webcam-{label}", full_page=False)
    page.set_viewport_size(DESKTOP)

    # A refusal from the server is shown on the page and the camera stays ready for another try.
    limit = settings.MOOD_UPLOAD_MAX_BYTES
    settings.MOOD_UPLOAD_MAX_BYTES = 1024
    capture.click()
    error = page.locator("#camera-error")
    error.wait_for(state="visible", timeout=SCAN_TIMEOUT_MS)
    assert error.inner_text() == "The image is larger than 1 KB."
    assert page.locator("#camera-video").is_visible() and capture.is_enabled()
    assert page.locator("#scan-steps").is_hidden()
    assert page.locator("#camera-status").inner_text() == "Camera on. Try again when you are ready."
    assert not HistoryEntry.objects.exists()
    shoot(page, "scan-webcam-error")
    settings.MOOD_UPLOAD_MAX_BYTES = limit

    page.evaluate(RECORD_PROGRESS)
    capture.click()
    page.wait_for_url(RESULT_URL, timeout=SCAN_TIMEOUT_MS)
    assert recorded(page, "status") == STAGES  # each step said as the server reported it, in order
    assert set(recorded(page, "frozen")) == {"true"}  # the frozen photo was shown throughout

    entry = assert_result_page(page, web_user)
    assert entry.strategy == "match"
    shoot(page, "result")
    assert not page.problems, page.problems


def test_on_a_phone_the_countdown_takes_the_photo_after_three_seconds(page, live_server, web_user, web_catalog,
                                                                      shoot):
    log_in(page, live_server, web_user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/scan/")
    page.wait_for_function("() => !document.getElementById('capture-button').disabled")
    assert in_first_view(page, "#capture-button")
    page.get_by_label("3-2-1 countdown").check()
    page.evaluate(RECORD_PROGRESS)
    page.evaluate("""() => {
        const box = document.getElementById('countdown');
        new MutationObserver(() => { if (!box.hidden) sessionStorage.setItem('counted',
            (sessionStorage.getItem('counted') || '') + '|' + box.textContent); })
            .observe(box, {attributes: true, childList: true, characterData: true, subtree: true});
    }""")

    page.get_by_role("button", name="Capture and read my mood").click()
    page.locator("#countdown").wait_for(state="visible")
    assert page.get_by_role("button", name="Cancel the countdown").is_visible()
    shoot(page, "scan-countdown-phone", full_page=False)
    page.wait_for_function("() => !document.getElementById('scan-steps').hidden", timeout=SCAN_TIMEOUT_MS)
    shoot(page, "scan-working-phone", full_page=False)
    page.wait_for_url(RESULT_URL, timeout=SCAN_TIMEOUT_MS)

    assert recorded(page, "counted") == ["3", "2", "1"]
    assert recorded(page, "status")[-len(STAGES):] == STAGES
    assert_result_page(page, web_user)
    songs = page.locator("ol.tracks > li").first.bounding_box()
    assert songs["y"] < PHONE["height"]  # the songs start in the first screenful of the result
    shoot(page, "result-phone")
    page.goto(f"{live_server.url}/scan/")  # the choice is remembered
    assert page.get_by_label("3-2-1 countdown").is_checked()
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
    assert page.locator(".message").count() == 0  # said once, next to the field
    assert not HistoryEntry.objects.exists()
    shoot(page, "scan-bad-upload")
    assert not page.problems, page.problems
