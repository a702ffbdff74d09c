from django.urls import path

from . import fhir_views, notice_views

app_name = "vigilance"

urlpatterns = [
    # The event as FHIR, and the manufacturer's notice for a lot.
    path("<int:complication_id>/fhir/", fhir_views.fhir_bundle, name="fhir_bundle"),
    path("batches/<uuid:batch_id>/notice/", notice_views.batch_notice, name="batch_notice"),
    path("batches/<uuid:batch_id>/notice.pdf", notice_views.batch_notice_pdf, name="batch_notice_pdf"),
]
