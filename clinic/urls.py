from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("patients/", include("patients.urls")),
    path("clinics/", include("clinics.urls")),
    path("audits/", include("audits.urls")),
    path("", include("treatments.urls")),
    path("", include("recovery.urls")),
    path("", include("audits.batch_urls")),
    path("admin/", admin.site.urls),
]
