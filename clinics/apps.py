from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    default = True
    name = "clinics"
    verbose_name = _("Clinics and staff")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 (registers the deployment checks)
        from .middleware import start_activity_clock, two_factor_start

        user_logged_in.connect(start_activity_clock, dispatch_uid="clinics.start_activity_clock")
        user_logged_in.connect(two_factor_start, dispatch_uid="clinics.two_factor_start")


class ClinicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "clinics.admin_site.ClinicAdminSite"
