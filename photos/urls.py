from django.urls import path

from . import session_views, views

app_name = "photos"

urlpatterns = [
    path("sessions/<uuid:session_id>/", session_views.session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/reports/new/", session_views.report_create, name="report_create"),
    path("sessions/<uuid:session_id>/photos/", views.photo_compare, name="photo_compare"),
    path("sessions/<uuid:session_id>/photos/new/", views.session_photos_add, name="photo_add"),
    path("photos/<uuid:photo_id>/", views.photo_file, name="photo"),
    path("photos/<uuid:photo_id>/thumbnail/", views.photo_file, {"size": "thumbnail"}, name="photo_thumbnail"),
    path("photos/<uuid:photo_id>/delete/", views.photo_delete, name="photo_delete"),
]
