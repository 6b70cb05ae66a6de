"""The scan page: webcam capture (static/js/scan.js) or a file upload, read by
moods.services.mood_detect, then the result page (history:result).

The webcam's fetch() gets its answer as NDJSON, one line per step as it happens
(``moods.services.mood_detect_steps``): ``{"stage": "face"}`` (finding the face and reading the
mood), ``{"stage": "songs"}`` (picking songs), then ``{"ok": true, "redirect": ...}`` or
``{"ok": false, "error": ...}``; the page shows each step in words (each step line carries them,
``"text"``, in the page's language, as the errors do). Refusals found before any work (a bad file,
the rate limit) are one JSON object with their 4xx status."""

import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from moods import services
from moods.api import SelfieUploadHandler
from moods.forms import ScanForm
from vexora.errors import DomainError
from vexora.web import form_error, form_status, sentence, throttle, wants_json

logger = logging.getLogger(__name__)

NO_FACE = gettext_lazy("No face was found in that photo.")
NO_FACE_HINT = gettext_lazy("Face the camera in good light, with nothing covering your face, and try again.")
FAILED = gettext_lazy("Something went wrong on our side. Please try again.")
# The steps the server reports while it works (static/js/scan.js shows them, with these words).
STAGE_TEXTS = {"face": gettext_lazy("Finding your face and reading your mood…"),
               "songs": gettext_lazy("Picking songs for your mood…")}


@login_required
@csrf_exempt  # the selfie must be read by SelfieUploadHandler, set before CSRF reads the body...
@require_http_methods(["GET", "POST"])
def scan(request):
    if request.method == "POST":
        # ... it keeps the photo in memory (never on disk) and refuses oversized bodies early.
        request.upload_handlers = [SelfieUploadHandler(request)]
    try:
        return _scan(request)  # ... and CSRF is checked there.
    except DomainError as exc:  # raised while the body was read (too large)
        return _scan_failed(request, ScanForm(), exc)


@csrf_protect
def _scan(request):
    if request.method == "GET":
        strategy = request.GET.get("strategy")
        initial = {"strategy": strategy} if strategy in dict(ScanForm.base_fields["strategy"].choices) else {}
        return render(request, "moods/scan.html", {"form": ScanForm(initial=initial)})
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        return _scan_failed(request, form, None)
    try:
        throttle(request, "mood_detect", per_user=True)  # the API's limit, same counter
        steps = services.mood_detect_steps(user=request.user, image=form.cleaned_data["image"],
                                           strategy=form.cleaned_data["strategy"])
        first = next(steps)  # the image is read and checked: refusals are still plain answers here
        if wants_json(request):
            response = StreamingHttpResponse(_progress(first, steps, language=translation.get_language()),
                                             content_type="application/x-ndjson")
            response["Cache-Control"] = "no-store"
            response["X-Accel-Buffering"] = "no"  # a proxy passes each line on as it comes
            return response
        *_, detected = steps
    except DomainError as exc:
        return _scan_failed(request, form, exc)
    return redirect("history:result", entry_uuid=detected.entry.uuid)


def _progress(first, steps, *, language: str):
    """The NDJSON lines, in the request's ``language``: they are written after the view has
    returned, when the request's language is no longer active."""
    def line(data) -> bytes:
        with translation.override(language):
            data = {key: str(value) if isinstance(value, Promise) else value for key, value in data.items()}
        return json.dumps(data).encode() + b"\n"

    def stage(name) -> dict:
        return {"stage": name, "text": STAGE_TEXTS.get(name, "")}

    yield line(stage(first))
    try:
        for step in steps:
            if isinstance(step, services.MoodDetectResult):
                yield line({"ok": True, "redirect": reverse("history:result", kwargs={"entry_uuid": step.entry.uuid})})
            else:
                yield line(stage(step))
    except DomainError as exc:
        no_face = isinstance(exc, services.FaceNotFound)
        with translation.override(language):
            error = str(NO_FACE) if no_face else sentence(exc.message)
        yield line({"ok": False, "error": error, "no_face": no_face, "hint": NO_FACE_HINT if no_face else ""})
    except Exception:
        logger.exception("a scan failed")
        yield line({"ok": False, "error": FAILED, "no_face": False, "hint": ""})


def _scan_failed(request, form, error):
    no_face = isinstance(error, services.FaceNotFound)
    if no_face:
        form.errors  # noqa: B018 (validates once, so the error can be added)
        form.add_error("image", f"{NO_FACE} {NO_FACE_HINT}")
    elif error is not None:
        form_error(form, error, field="image")
    status = getattr(error, "status", 400)
    if wants_json(request):
        problems = [str(problem) for problems in form.errors.values() for problem in problems]
        return JsonResponse({"ok": False, "error": str(NO_FACE if no_face else " ".join(problems) or FAILED),
                             "no_face": no_face, "hint": str(NO_FACE_HINT) if no_face else ""}, status=status)
    form_status(request, form)  # the first field with an error gets the focus
    return render(request, "moods/scan.html", {"form": form}, status=status)
