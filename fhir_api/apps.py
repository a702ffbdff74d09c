from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirApiConfig(AppConfig):
    name = "fhir_api"
    verbose_name = _("FHIR API")
