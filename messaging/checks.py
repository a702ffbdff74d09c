"""Checks that the patients' text messages can leave: run by `check`, the console one by `check --deploy`."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .text_messages import ConsoleBackend, TelnyxBackend


def _backend():
    return import_string(settings.TEXT_MESSAGE_BACKEND)


@register(deploy=True)
def texts_leave_in_production(app_configs, **kwargs):
    """With the console backend in production, patients would never be asked how they are."""
    if not settings.DEBUG and issubclass(_backend(), ConsoleBackend):
        return [
            Error(
                "Text messages are written to the console: no patient is ever texted a check-in.",
                hint="Set TEXT_MESSAGE_BACKEND=messaging.text_messages.TelnyxBackend with TEXT_MESSAGE_API_KEY "
                "and TEXT_MESSAGE_SENDER.",
                id="recovery.E001",
            )
        ]
    return []


@register()
def text_provider_configured(app_configs, **kwargs):
    if issubclass(_backend(), TelnyxBackend) and not (settings.TEXT_MESSAGE_API_KEY and settings.TEXT_MESSAGE_SENDER):
        return [
            Error(
                "The text-message provider is chosen but not configured.",
                hint="Set TEXT_MESSAGE_API_KEY and TEXT_MESSAGE_SENDER.",
                id="recovery.E002",
            )
        ]
    return []
