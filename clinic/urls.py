from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .health import ClosingHealthCheckView

health = ClosingHealthCheckView.as_view(
    checks=[
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "messaging.health.Broker",
        "messaging.health.Beat",
        "recovery.health.Outbox",
        "photos.health.PhotoQueue",
        "recovery.health.GivenUp",
        "messaging.health.Senders",
    ]
)

urlpatterns = [
    path("accounts/", include("clinics.auth_urls")),
    path("health/", login_not_required(health), name="health"),
    # The language menu, also before logging in; the JavaScript's few strings, translated.
    path("i18n/", include("clinics.language_urls")),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript_catalog"),
    path("api/v1/", include("api.urls")),
    path("patients/", include("patients.urls")),
    path("clinics/", include("clinics.urls")),
    path("clinics/", include("api.token_urls")),
    path("clinics/", include("imports.export_urls")),
    path("audits/", include("audits.urls")),
    path("audits/reportable-events/", include("vigilance.urls")),
    # FHIR R4, read-only, for other systems with a clinic's token (fhir_api).
    path("fhir/", include("fhir_api.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("imports/", include("imports.urls")),
    path("", include("treatments.urls")),
    path("", include("recovery.urls")),
    path("", include("photos.urls")),
    path("", include("checkins.urls")),
    path("", include("audits.batch_urls")),
    path("admin/", admin.site.urls),
]
