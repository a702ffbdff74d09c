from django.urls import path

from . import views

app_name = "vigilance"

urlpatterns = [
    # The list of reportable events, and what managers record of each.
    path("", views.reportable_events, name="reportable_events"),
    path("<int:complication_id>/report-sent/", views.submission_create, name="submission_create"),
    path("<int:complication_id>/not-reportable/", views.not_reportable_create, name="not_reportable_create"),
]
