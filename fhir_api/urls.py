from django.urls import path, re_path

from . import views

app_name = "fhir_api"

urlpatterns = [
    path("", views.Elsewhere.as_view(), name="base"),
    path("metadata", views.Metadata.as_view(), name="metadata"),
    path("<str:resource_type>", views.Search.as_view(), name="search"),
    path("<str:resource_type>/<str:resource_id>", views.Read.as_view(), name="read"),
    re_path(r"^.+$", views.Elsewhere.as_view()),
]
