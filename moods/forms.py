"""The scan form: a photo (from the webcam or a file) and how the music should answer the mood.
moods.services.mood_detect checks the image by its content."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vexora.images import human_size
from vexora.web import PageForm


class ScanForm(PageForm):
    image = forms.FileField(
        label=_("Photo of your face"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png", "capture": "user",
                                      "data-preview": "upload-preview"}),
    )
    strategy = forms.ChoiceField(
        label=_("Music that…"), choices=[("match", _("Matches my mood")), ("uplift", _("Lifts my mood"))],
        initial="match", required=False, widget=forms.RadioSelect,
        help_text=_("“Lift” starts with your mood and moves toward brighter songs (sad or angry moods)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = human_size(settings.MOOD_UPLOAD_MAX_BYTES)
        self.fields["image"].help_text = gettext("A JPEG or PNG, up to %(limit)s, with your face in it. It is never "
                                                 "stored.") % {"limit": limit}

    def clean_strategy(self):
        return self.cleaned_data.get("strategy") or "match"
