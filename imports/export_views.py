"""Clinic settings → Export everything: a manager takes the clinic's whole record out as a ZIP."""

import tempfile

from django import forms
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from clinics.scoping import managed_clinic

from .export import clinic_export, file_name_of


class ExportForm(forms.Form):
    with_photos = forms.BooleanField(
        label=_("With the photos"),
        required=False,
        help_text=_("The photos of the treated skin, in a folder per session. The file is much larger with them."),
    )


@require_http_methods(["GET", "POST"])
def clinic_export_view(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        file_name = file_name_of(clinic, timezone.localdate(timezone.now(), clinic.zone))
        # On disk, not in memory: a clinic's photos can be larger than a worker's memory. The response
        # closes it, and so removes it, once it is sent.
        archive = tempfile.TemporaryFile()  # noqa: SIM115
        clinic_export(
            clinic=clinic,
            user=request.user,
            target=archive,
            file_name=file_name,
            with_photos=form.cleaned_data["with_photos"],
        )
        return FileResponse(archive, as_attachment=True, filename=file_name, content_type="application/zip")
    return render(request, "imports/export.html", {"clinic": clinic, "form": form})
