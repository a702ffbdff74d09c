from django.urls import path

from . import run_views, views

app_name = "imports"

urlpatterns = [
    path("<uuid:clinic_id>/", views.import_index, name="index"),
    path("<uuid:clinic_id>/template/<slug:kind>.<slug:file_format>", views.template_download, name="template"),
    path("runs/<uuid:run_id>/files/", views.run_files, name="files"),
    path("runs/<uuid:run_id>/mapping/", views.run_mapping, name="mapping"),
    path("runs/<uuid:run_id>/cancel/", views.run_cancel, name="cancel"),
    path("runs/<uuid:run_id>/progress/", run_views.run_progress, name="progress"),
    path("runs/<uuid:run_id>/preview/", run_views.run_preview, name="preview"),
]
