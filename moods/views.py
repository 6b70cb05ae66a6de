"""The scan page: webcam capture (static/js/scan.js) or a file upload, read by
moods.services.mood_detect, then the result page (history:result)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from moods import services
from moods.api import SelfieUploadHandler
from moods.forms import ScanForm
from vexora.errors import DomainError
from vexora.templatetags.ui import mood_emoji, mood_label
from vexora.web import form_error, throttle, wants_json

NO_FACE_HINT = "Face the camera in good light, with nothing covering your face, and try again."


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
        detected = services.mood_detect(user=request.user, image=form.cleaned_data["image"],
                                        strategy=form.cleaned_data["strategy"])
    except DomainError as exc:
        return _scan_failed(request, form, exc)
    entry = detected.entry
    messages.success(request, f"Mood read: {mood_label(entry.mood)} {mood_emoji(entry.mood)}")
    url = reverse("history:result", kwargs={"entry_uuid": entry.uuid})
    if wants_json(request):
        return JsonResponse({"ok": True, "redirect": url})
    return redirect(url)


def _scan_failed(request, form, error):
    if error is not None:
        form_error(form, error, field="image")
    no_face = isinstance(error, services.FaceNotFound)
    status = getattr(error, "status", 400)
    if wants_json(request):
        problems = [str(problem) for problems in form.errors.values() for problem in problems]
        return JsonResponse({"ok": False, "error": " ".join(problems) or "The photo could not be read.",
                             "no_face": no_face, "hint": NO_FACE_HINT if no_face else ""}, status=status)
    messages.error(request, "No face was found in that photo." if no_face else "The photo could not be read.")
    return render(request, "moods/scan.html", {"form": form, "no_face": no_face, "no_face_hint": NO_FACE_HINT},
                  status=status)
