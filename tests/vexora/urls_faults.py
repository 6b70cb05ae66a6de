"""Test-only URLs: the real project URLs plus views that fail on purpose under /api/."""

from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from vexora.api import envelope
from vexora.urls import urlpatterns as project_urlpatterns


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1)


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return envelope("echo", serializer.validated_data)


class BoomView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret detail that must never reach a client")


def plain_boom(request):
    raise ValueError("secret detail from a plain Django view")


urlpatterns = [
    path("api/v1/test/echo", EchoView.as_view()),
    path("api/v1/test/boom", BoomView.as_view()),
    path("api/v1/test/plain-boom", plain_boom),
    *project_urlpatterns,
]
