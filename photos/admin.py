from django.contrib import admin

from clinics.admin_scoping import ReadOnlyClinicAdmin, clinic_time_column

from .models import PhotoUpload


@admin.register(PhotoUpload)
class PhotoUploadAdmin(ReadOnlyClinicAdmin):
    """Photos as they were received and what became of each: where to look when one waits or is
    refused. The images themselves are opened only through the clinic's own, logged photo pages."""

    clinic_lookup = "session__clinic_id"
    list_display = [
        "name",
        "source",
        "state",
        "refusal",
        "attempts",
        clinic_time_column(PhotoUpload, "received_at", clinic="session.clinic"),
    ]
    list_filter = ["state", "source"]
    list_select_related = ["session__clinic"]
    fields = ["session", "report", "source", "area", "name", "size", "state", "refusal", "attempts", "processed_at"]
