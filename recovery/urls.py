from django.urls import path

from . import clinic_views, session_views, views

app_name = "recovery"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clinics/<uuid:clinic_id>/", clinic_views.clinic_settings_edit, name="clinic_settings_edit"),
    path("sessions/new/", session_views.session_create, name="session_create"),
    path("api/recoveries/", views.recoveries_feed, name="feed"),
    path("notifications/", views.notification_index, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("sessions/<uuid:session_id>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("sessions/<uuid:session_id>/complications/new/", views.complication_create, name="complication_create"),
    path("sessions/<uuid:session_id>/close/", views.recovery_close, name="close"),
    path("patients/<uuid:patient_id>/reactions/", views.reaction_history, name="reaction_history"),
    path("catalogue/", views.catalogue_index, name="catalogue"),
    path("catalogue/reactions/<int:pk>/", views.reaction_type_edit, name="reaction_type_edit"),
    path("catalogue/red-flags/<int:pk>/", views.red_flag_edit, name="red_flag_edit"),
]
