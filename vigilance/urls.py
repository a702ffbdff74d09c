from django.urls import path

from . import fhir_views, notice_views, pack_views, views

app_name = "vigilance"

urlpatterns = [
    # The list of reportable events, and what managers record of each.
    path("", views.reportable_events, name="reportable_events"),
    path("<int:complication_id>/report-sent/", views.submission_create, name="submission_create"),
    path("<int:complication_id>/not-reportable/", views.not_reportable_create, name="not_reportable_create"),
    # The event as FHIR, and the manufacturer's notice for a lot.
    path("<int:complication_id>/fhir/", fhir_views.fhir_bundle, name="fhir_bundle"),
    path("batches/<uuid:batch_id>/notice/", notice_views.batch_notice, name="batch_notice"),
    path("batches/<uuid:batch_id>/notice.pdf", notice_views.batch_notice_pdf, name="batch_notice_pdf"),
    # Each event's report pack: the forms to copy from and their PDFs (after the fixed paths above).
    path("<int:complication_id>/", pack_views.pack, name="pack"),
    path("<int:complication_id>/<slug:code>/", pack_views.form_copy, name="form"),
    path("<int:complication_id>/<slug:code>.pdf", pack_views.form_pdf, name="pdf"),
]
