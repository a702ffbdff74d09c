from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The schema's description of the token, registered with drf-spectacular as it is defined.
        from . import schema  # noqa: F401
