from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    default = True
    name = "clinics"
    verbose_name = _("Clinics and staff")


class ClinicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "clinics.admin_site.ClinicAdminSite"
