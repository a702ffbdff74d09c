from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_index, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<uuid:patient_id>/edit/", views.patient_edit, name="edit"),
]
