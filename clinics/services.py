from django.conf import settings

from .models import User


def user_language_remember(*, user: User, language: str) -> None:
    """Keep the language a member of staff chose, for what is e-mailed to them."""
    if language in dict(settings.LANGUAGES):
        User.objects.filter(pk=user.pk).update(language=language)
