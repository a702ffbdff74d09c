from django.urls import path

from . import export_views

app_name = "imports_export"

urlpatterns = [
    path("<uuid:clinic_id>/export/", export_views.clinic_export_view, name="export"),
]
