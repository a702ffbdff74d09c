from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("", views.clinic_settings, name="settings"),
    path("<uuid:clinic_id>/staff/", views.clinic_staff, name="staff"),
    path(
        "<uuid:clinic_id>/staff/<int:user_id>/reset-two-factor/",
        views.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
]
