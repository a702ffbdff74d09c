from django.urls import path

from . import batch_views
from .models import FileFormat

app_name = "batches"

urlpatterns = [
    path("batches/<uuid:batch_id>/", batch_views.batch_detail, name="detail"),
    path("batches/<uuid:batch_id>/quarantine/", batch_views.batch_quarantine, name="quarantine"),
    path(
        "batches/<uuid:batch_id>/contacts.csv",
        batch_views.batch_contacts,
        {"file_format": FileFormat.CSV},
        name="contacts",
    ),
    path(
        "batches/<uuid:batch_id>/contacts.xlsx",
        batch_views.batch_contacts,
        {"file_format": FileFormat.XLSX},
        name="contacts_xlsx",
    ),
]
