from django.urls import path

from . import link_views, staff_views, views

app_name = "checkins"

urlpatterns = [
    path("check-in/drawings/<str:language>/<str:version>/", views.drawings, name="drawings"),
    path("check-in/<str:clinic_id>/<str:token>/", views.check_in_view, name="check_in"),
    path("c/<str:code>", link_views.check_in_code, name="check_in_code"),
    path("check-in/<str:clinic_id>/<str:token>/rest/", views.check_in_rest, name="check_in_rest"),
    path("check-in/<str:clinic_id>/<str:token>/photos/", views.check_in_photos, name="check_in_photos"),
    path("guide/<str:clinic_id>/<str:token>/", views.guide, name="guide"),
    path("g/<str:code>", link_views.guide_code, name="guide_code"),
    path("sessions/<uuid:session_id>/check-ins/send/", staff_views.check_in_send_now, name="check_in_send"),
    path("sessions/<uuid:session_id>/guide/send/", staff_views.guide_send_again, name="guide_send"),
]
