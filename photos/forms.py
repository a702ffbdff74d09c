"""The forms that take photos: a few photo slots, each with the treated area it shows."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH
from treatments.models import Area, TreatmentSession

from .images import TOO_MUCH_AT_ONCE, photo_probe
from .models import UploadState
from .services import PHOTOS_AT_A_TIME
from .uploads import REFUSALS, Received, Refused, refusal_text

# Phones offer their camera and photo library for image/*; HEIC named too for desktop pickers.
ACCEPTED_FILES = "image/*,.heic,.heif"
PHOTO_REFUSED = _("Photo %(number)s (%(name)s) was not kept: %(reason)s")
STILL_PROCESSING = _("Photo %(number)s (%(name)s) is still being processed: it will appear on the session page.")


class PhotoSlots(forms.Form):
    """A few photos (`PHOTOS_AT_A_TIME`), each with the area it shows.

    Each photo is checked from its header alone (what it is, what it will cost to decode), never
    decoded here, and a refused one never holds up the rest: the caller keeps `received()`, the
    photos that passed, and tells the user `refusals()`, why the others did not. Together they may
    decode to no more than `PHOTO_MAX_PIXELS_PER_REQUEST`: a photo past it is asked for again.
    """

    def __init__(self, data=None, files=None, *, session: TreatmentSession, capture=False, **kwargs):
        kwargs.setdefault("prefix", "photos")
        super().__init__(data, files, **kwargs)
        # The session's areas first, then every other: a photo of an area it did not treat is kept too.
        treated = [(area.area, str(area)) for area in session.areas.all()]
        self.area_choices = treated + [(code, label) for code, label in Area.choices if code not in dict(treated)]
        self.passed: list[int] = []
        attrs = {"accept": ACCEPTED_FILES, "class": "form-control"}
        if capture:
            # A tablet opens its rear camera straight away; a computer still offers a file.
            attrs["capture"] = "environment"
        for number in range(1, PHOTOS_AT_A_TIME + 1):
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)s") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs=attrs),
            )
            self.fields[f"area_{number}"] = forms.ChoiceField(
                label=_("Area shown in photo %(number)s") % {"number": number},
                choices=self.area_choices,
                initial=self.area_choices[0][0] if self.area_choices else None,
                required=False,
            )

    @property
    def max_bytes(self) -> int:
        return settings.PHOTO_MAX_BYTES

    @property
    def numbers(self) -> range:
        return range(1, sum(1 for name in self.fields if name.startswith("photo_")) + 1)

    def slots(self):
        """Each slot's file and area fields, for the template."""
        return [(self[f"photo_{n}"], self[f"area_{n}"]) for n in self.numbers]

    def clean(self):
        cleaned = super().clean()
        pixels = 0
        for number in self.numbers:
            upload = cleaned.get(f"photo_{number}")
            if not upload or self.has_error(f"area_{number}"):
                continue
            try:
                cost = photo_probe(upload)
            except ValidationError as error:
                self.add_error(f"photo_{number}", error)
                continue
            if pixels + cost > settings.PHOTO_MAX_PIXELS_PER_REQUEST:
                self.add_error(f"photo_{number}", ValidationError(TOO_MUCH_AT_ONCE, code="too_much_at_once"))
                continue
            pixels += cost
            self.passed.append(number)
            if not cleaned.get(f"area_{number}"):
                cleaned[f"area_{number}"] = self.area_choices[0][0]
        return cleaned

    def received(self) -> list[Received]:
        """The photos that passed their checks, to receive, whatever became of the others."""
        self.is_valid()
        return [
            Received(number=number, file=self.cleaned_data[f"photo_{number}"], area=self.cleaned_data[f"area_{number}"])
            for number in self.passed
        ]

    def refused(self) -> list[Refused]:
        """The photos refused here, from their headers, each with the code of its reason."""
        self.is_valid()
        refused = []
        for number in self.numbers:
            upload = self.files.get(self.add_prefix(f"photo_{number}"))
            errors = self.errors.as_data()
            for error in [*errors.get(f"photo_{number}", []), *errors.get(f"area_{number}", [])][:1]:
                code = error.code if error.code in REFUSALS else "not_a_photo"
                if f"area_{number}" in errors:
                    code = "unknown_area"
                name = upload.name if upload else ""
                refused.append(Refused(number=number, name=name, size=upload.size if upload else 0, code=code))
        return refused

    def refusals(self) -> list[str]:
        """One sentence per refused photo: which one, and why."""
        refused = []
        for number in self.numbers:
            upload = self.files.get(self.add_prefix(f"photo_{number}"))
            for error in [*self.errors.get(f"photo_{number}", []), *self.errors.get(f"area_{number}", [])]:
                name = upload.name if upload else ""
                refused.append(str(PHOTO_REFUSED % {"number": number, "name": name, "reason": error}))
        return refused


class PhotoDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the photo deleted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Kept in the trail with your name and the time; the photo itself cannot be brought back."),
    )


def tell_refusals(request, form: PhotoSlots) -> None:
    """Say, on the next page, which photos were not kept and why."""
    for refusal in form.refusals():
        messages.error(request, refusal)


def tell_outcomes(request, uploads) -> None:
    """Say, on the next page, which of the photos processed at once were refused, and which are still
    being processed (a worker took them first, or the storage was down): they appear later."""
    for upload in uploads:
        if upload.state == UploadState.REFUSED:
            said = {"number": upload.number, "name": upload.name, "reason": refusal_text(upload)}
            messages.error(request, str(PHOTO_REFUSED % said))
        elif upload.state == UploadState.PENDING:
            messages.info(request, str(STILL_PROCESSING % {"number": upload.number, "name": upload.name}))
