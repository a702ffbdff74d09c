from django import template

from recovery.rules import window_words

register = template.Library()


@register.filter
def window(hours) -> str:
    """A reaction window as clinicians say it: "48 h", "10 days"."""
    if hours in (None, ""):
        return ""
    return window_words(round(hours))
