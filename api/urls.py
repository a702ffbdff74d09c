"""/api/v1/: one clinic's record for another system holding its token, the schema and its docs.

The token is checked by the views themselves (api.authentication), never by a login: each view is
exempt from the staff's login redirect.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .views import batches, docs, patients, records, recoveries, sessions

app_name = "api"


def endpoint(view_class):
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("schema/", endpoint(SpectacularAPIView), name="schema"),
    path("docs/", endpoint(docs.ApiDocs), name="docs"),
    path("patients/", endpoint(patients.PatientList), name="patients"),
    path("patients/<uuid:patient_id>/", endpoint(patients.PatientDetail), name="patient"),
    path("sessions/", endpoint(sessions.SessionList), name="sessions"),
    path("sessions/<uuid:session_id>/", endpoint(sessions.SessionDetail), name="session"),
    path("recoveries/", endpoint(recoveries.RecoveryList), name="recoveries"),
    path("recoveries/<uuid:session_id>/", endpoint(recoveries.RecoveryDetail), name="recovery"),
    path("reports/", endpoint(records.ReportList), name="reports"),
    path("reports/<uuid:report_id>/", endpoint(records.ReportDetail), name="report"),
    path("follow-ups/", endpoint(records.FollowUpList), name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", endpoint(records.FollowUpDetail), name="follow_up"),
    path("complications/", endpoint(records.ComplicationList), name="complications"),
    path("complications/<int:complication_id>/", endpoint(records.ComplicationDetail), name="complication"),
    path("batches/", endpoint(batches.BatchList), name="batches"),
    path("batches/<uuid:batch_id>/", endpoint(batches.BatchDetail), name="batch"),
]
