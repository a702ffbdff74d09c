"""Where collectstatic looks for the apps' static files."""

from django.apps import apps
from django.contrib.staticfiles import finders

# The browsable API's pages (Bootstrap, jQuery, fonts): the API answers JSON only, so they are never served.
UNSERVED = {"rest_framework"}


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        names = app_names or [config.name for config in apps.get_app_configs()]
        super().__init__([name for name in names if name not in UNSERVED], *args, **kwargs)
