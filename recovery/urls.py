from django.urls import path

from . import patient_views, session_views, views

app_name = "recovery"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sessions/new/", session_views.session_create, name="session_create"),
    path("sessions/<uuid:session_id>/", session_views.session_detail, name="session_detail"),
    path("api/recoveries/", views.recoveries_feed, name="feed"),
    path("check-in/<str:clinic_id>/<str:token>/", patient_views.check_in, name="check_in"),
    path("guide/<str:clinic_id>/<str:token>/", patient_views.guide, name="guide"),
    path("notifications/", views.notification_index, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("sessions/<uuid:session_id>/check-ins/send/", views.check_in_send_now, name="check_in_send"),
    path("sessions/<uuid:session_id>/guide/send/", views.guide_send_again, name="guide_send"),
    path("sessions/<uuid:session_id>/reports/new/", views.report_create, name="report_create"),
    path("sessions/<uuid:session_id>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("sessions/<uuid:session_id>/complications/new/", views.complication_create, name="complication_create"),
    path("sessions/<uuid:session_id>/close/", views.recovery_close, name="close"),
    path("patients/<uuid:patient_id>/reactions/", views.reaction_history, name="reaction_history"),
    path("catalogue/", views.catalogue_index, name="catalogue"),
    path("catalogue/reactions/<int:pk>/", views.reaction_type_edit, name="reaction_type_edit"),
    path("catalogue/red-flags/<int:pk>/", views.red_flag_edit, name="red_flag_edit"),
]
