from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_index, name="index"),
    path("csv/<slug:breakdown>/", views.audit_csv, name="csv"),
]
