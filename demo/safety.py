"""The made-up patients of the demo and the scale generator have made-up mobile numbers, which can
still belong to real people: they are loaded only where no text message really leaves."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.module_loading import import_string

from messaging.text_messages import TelnyxBackend


def refuse_where_texts_are_sent() -> None:
    if issubclass(import_string(settings.TEXT_MESSAGE_BACKEND), TelnyxBackend):
        raise CommandError(
            "Texts are sent through the provider here (TEXT_MESSAGE_BACKEND): made-up patients would text "
            "real people. Load them where texts go to the console."
        )
