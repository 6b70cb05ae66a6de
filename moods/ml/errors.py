"""What the model package raises: plain exceptions, no HTTP meaning (moods.services maps them to
the API's errors)."""

from __future__ import annotations


def _(text: str) -> str:
    """Marks a message people may read for the project's translation catalogue; the app translates
    it where it shows it. This package stays free of Django."""
    return text


class MoodModelError(Exception):
    """Base of the model package's errors; the message is written for a person."""

    default_message = "the mood model failed"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class ImageError(MoodModelError):
    """The picture given to the detector cannot be read."""

    default_message = _("the file is not a readable image")


class UnreadableImage(ImageError):
    """Not an image, an empty file, or damaged data."""


class ImageTooLarge(ImageError):
    """The picture declares more pixels than the detector's ``max_pixels``."""

    default_message = _("the image has too many pixels")


class NoFaceDetected(MoodModelError):
    """The picture is readable but holds no face the detector can read."""

    default_message = _("no face detected in the image")


class WeightsError(MoodModelError, ValueError):
    """The weights file is missing, not ours, or does not fit the network."""

    default_message = "the mood weights cannot be loaded"


class DatasetError(MoodModelError, ValueError):
    """The folder given is not a usable dataset (said in words a person can act on)."""

    default_message = "the folder is not a usable dataset"
