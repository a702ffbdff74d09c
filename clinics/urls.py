from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("", views.clinic_settings, name="settings"),
    path("<uuid:clinic_id>/", views.clinic_settings_edit, name="settings_edit"),
]
