from django.urls import path

from . import views
from .models import FileFormat

app_name = "audits"

urlpatterns = [
    path("", views.audit_index, name="index"),
    path("zones/", views.zone_map, name="zones"),
    path("csv/<slug:breakdown>/", views.audit_download, {"file_format": FileFormat.CSV}, name="csv"),
    path("xlsx/<slug:breakdown>/", views.audit_download, {"file_format": FileFormat.XLSX}, name="xlsx"),
    path("exports/", views.export_create, name="exports"),
    path("exports/sessions/", views.sessions_download, name="sessions_download"),
    path("exports/<uuid:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="export_download"),
    path("patients/<uuid:patient_id>/trail/", views.patient_trail, name="patient_trail"),
    path("patients/<uuid:patient_id>/erase/", views.patient_erase, name="patient_erase"),
    path("deleted/", views.removal_index, name="removals"),
    path("files/", views.file_transfer_index, name="file_transfers"),
]
