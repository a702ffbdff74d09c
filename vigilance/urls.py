from django.urls import path

from . import pack_views, views

app_name = "vigilance"

urlpatterns = [
    # The list of reportable events, and what managers record of each.
    path("", views.reportable_events, name="reportable_events"),
    path("<int:complication_id>/report-sent/", views.submission_create, name="submission_create"),
    path("<int:complication_id>/not-reportable/", views.not_reportable_create, name="not_reportable_create"),
    # Each event's report pack: the forms to copy from and their PDFs.
    path("<int:complication_id>/", pack_views.pack, name="pack"),
    path("<int:complication_id>/<slug:code>/", pack_views.form_copy, name="form"),
    path("<int:complication_id>/<slug:code>.pdf", pack_views.form_pdf, name="pdf"),
]
