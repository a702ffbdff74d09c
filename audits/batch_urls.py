from django.urls import path

from . import batch_views

app_name = "batches"

urlpatterns = [
    path("batches/<uuid:batch_id>/", batch_views.batch_detail, name="detail"),
    path("batches/<uuid:batch_id>/quarantine/", batch_views.batch_quarantine, name="quarantine"),
    path("batches/<uuid:batch_id>/contacts.csv", batch_views.batch_contacts_csv, name="contacts"),
]
