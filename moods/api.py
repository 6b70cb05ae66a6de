"""POST mood-detection: a thin viewset around moods.services.mood_detect."""

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.parsers import FormParser, MultiPartParser

from moods import services
from music.taste import taste_get
from moods.serializers import MoodDetectionInput, MoodDetectionSerializer
from vexora.api import ScopedUserThrottle, envelope
from vexora.errors import PayloadTooLarge
from vexora.images import human_size

FORM_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries, headers and the small form fields


class SelfieUploadHandler(MemoryFileUploadHandler):
    """Keeps the uploaded selfie in memory, whatever its size: Django's default handlers would
    spool an upload above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and the selfie must
    never be written anywhere. A body that cannot fit under the cap is refused before it is read."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.MOOD_UPLOAD_MAX_BYTES
        if content_length > limit + FORM_OVERHEAD_BYTES:
            raise PayloadTooLarge(gettext("the image is larger than %(size)s") % {"size": human_size(limit)})
        self.activated = True


@extend_schema(tags=["moods"])
class MoodDetectionViewSet(viewsets.ViewSet):
    """Read the mood of a selfie and answer with music; the detection is added to the history."""

    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "mood_detect"
    throttle_classes = [ScopedUserThrottle]

    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers = [SelfieUploadHandler(request)]  # before anything reads the body
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": MoodDetectionInput}, responses={200: MoodDetectionSerializer})
    def create(self, request):
        """Multipart `image` (PNG/JPEG) and optional `strategy` (match|uplift); `user_id` is
        ignored: the user is the token's."""
        result = services.mood_detect(user=request.user, image=request.FILES.get("image"),
                                      strategy=request.data.get("strategy") or "match")
        taste = taste_get(user=request.user)  # the tracks' reasons say what they share with it
        return envelope("mood detected successfully!",
                        MoodDetectionSerializer(result, context={"request": request, "taste": taste}).data)
