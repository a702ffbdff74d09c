from django.urls import path  # noqa: F401 (the pages are added below as they are written)

app_name = "vigilance"

urlpatterns = []
