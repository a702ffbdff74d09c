from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="treatments:session_list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("patients/", include("patients.urls")),
    path("", include("treatments.urls")),
    path("", include("recovery.urls")),
    path("admin/", admin.site.urls),
]
