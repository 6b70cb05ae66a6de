"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests that send
mail through Django's SMTP backend.

Fixtures (made available to every test by ``tests/conftest.py``):
- ``smtp_stub``: a running server, settings pointing Django's SMTP backend at it;
- ``smtp_down``: settings pointing the SMTP backend at a closed port (connection refused).
"""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list
    message: EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None


class SMTPStub:
    """aiosmtpd handler + controller: ``start()``, ``messages`` (ReceivedMail), ``close()``."""

    def __init__(self):
        self.messages: list[ReceivedMail] = []
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> "SMTPStub":
        self._controller.start()
        return self

    def close(self) -> None:
        self._controller.stop()


def _point_django_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_stub(settings):
    stub = SMTPStub().start()
    _point_django_at(settings, stub.port)
    try:
        yield stub
    finally:
        stub.close()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend aimed at a port where nothing listens."""
    _point_django_at(settings, free_port())
