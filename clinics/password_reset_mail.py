"""The password-reset e-mail, written and sent by a Celery worker rather than in the request.

Looking the address up and sending to it inside the request made a known address answer later than
an unknown one, which told a stranger which addresses have accounts. The request now only queues the
address; the worker finds whether anyone has it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


def password_reset_send(*, email: str, language: str) -> None:
    """E-mail a reset link to every active account with this address; nothing for an unknown one."""
    site = urlsplit(settings.SITE_URL)
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(domain_override=site.netloc, use_https=site.scheme == "https")
