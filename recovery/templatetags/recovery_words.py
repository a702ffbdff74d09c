from django import template

from recovery.notification_words import notification_words
from recovery.reasons import words
from recovery.rules import window_words

register = template.Library()


@register.filter
def window(hours) -> str:
    """A reaction window as clinicians say it: "48 h", "10 days"."""
    if hours in (None, ""):
        return ""
    return window_words(round(hours))


@register.filter
def reason(finding) -> str:
    """Why a recovery needs someone, in the reader's language."""
    return words(finding)


@register.filter
def told(notification) -> str:
    """What a notification tells, in the reader's language."""
    return notification_words(notification)
