"""Password reset, throttled: a reset e-mail is a message in someone's inbox that anyone can trigger."""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.db import transaction
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from .tasks import send_password_reset

log = logging.getLogger(__name__)

TOO_MANY_FROM_HERE = _("Too many reset requests from this device. Please try again in an hour.")


def _client(_group, request) -> str:
    # The same address the login lockout counts, trusting only the proxies we run.
    return get_client_ip_address(request) or "unknown"


class ThrottledPasswordResetView(PasswordResetView):
    """At most a few requests an hour from one client, and a few e-mails an hour to one address.

    An address over its limit gets the usual "check your inbox" page and no e-mail, so the page
    neither floods a colleague's inbox nor tells a stranger which addresses have accounts. Whether
    anyone has the address is found by the worker that sends the e-mail, after the response: a known
    and an unknown address cost the request the same.
    """

    def form_valid(self, form):
        if is_ratelimited(
            self.request,
            group="password-reset-client",
            key=_client,
            rate=settings.PASSWORD_RESET_RATE_PER_CLIENT,
            increment=True,
        ):
            form.add_error(None, TOO_MANY_FROM_HERE)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        address = form.cleaned_data["email"].strip().lower()
        if is_ratelimited(
            self.request,
            group="password-reset-address",
            key=lambda _group, _request: address,
            rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            increment=True,
        ):
            return redirect(self.get_success_url())
        language = translation.get_language()
        transaction.on_commit(lambda: _queue(address, language))
        return redirect(self.get_success_url())


def _queue(address: str, language: str) -> None:
    try:
        send_password_reset.delay(address, language)
    except Exception as error:  # kombu's errors vary by transport; the person is told to ask again if nothing comes.
        log.warning("Broker unavailable (%r): a password-reset e-mail was not queued", error)
