from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("clinics/<uuid:clinic_id>/", views.endpoint_list, name="endpoint_list"),
    path("clinics/<uuid:clinic_id>/new/", views.endpoint_create, name="endpoint_create"),
    path("<uuid:endpoint_id>/", views.endpoint_detail, name="endpoint_detail"),
    path("<uuid:endpoint_id>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path("deliveries/<uuid:delivery_id>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<uuid:delivery_id>/send-again/", views.delivery_resend, name="delivery_resend"),
]
