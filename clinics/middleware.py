import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from . import two_factor
from .scoping import clinics_of

LAST_ACTIVITY = "last_activity"
# The idle clock is kept to the minute: writing the session on every request is a database write
# for every page, and an idle period counted from up to a minute early only ever ends sooner.
ACTIVITY_KEPT_EVERY_SECONDS = 60
# Sent by the dashboard's own refresh (hx-headers), which must not count as a person being there.
BACKGROUND_REFRESH_HEADER = "X-Background-Refresh"


class ClinicTimezoneMiddleware:
    """Show times in the clinic's own time zone (the first clinic, for staff of several)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clinics = clinics_of(request.user) if hasattr(request, "user") else []
        if clinics:
            timezone.activate(clinics[0].zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def start_activity_clock(sender, request, user, **kwargs):
    """A fresh login starts a fresh idle period, whatever the session held before."""
    request.session[LAST_ACTIVITY] = time.time()


class IdleTimeoutMiddleware:
    """Log staff out after SESSION_IDLE_SECONDS without a request of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY, now)
            if now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif BACKGROUND_REFRESH_HEADER not in request.headers and (
                LAST_ACTIVITY not in request.session or now - last >= ACTIVITY_KEPT_EVERY_SECONDS
            ):
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """Send an htmx request that lost its login to the login page, rather than into the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.htmx and response.status_code == 302 and response["Location"].startswith(login_url):
            return HttpResponseClientRedirect(response["Location"])
        return response


def two_factor_start(sender, request, user, **kwargs):
    """Every way in (the login page, the admin's, a test's force_login) starts from the same note."""
    two_factor.no_app_at_login_remember(request, user)


def two_factor_exempt(view_func):
    """A page a signed-in person may open before giving their code: the code page itself, log out."""
    view_func.two_factor_exempt = True
    return view_func


class TwoFactorMiddleware:
    """Keep a signed-in person who owes a code on the two-factor pages until they give it.

    Pages open without a login (the patients' check-in links, /health/, the login page) stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or getattr(view_func, "two_factor_exempt", False):
            return None
        step = two_factor.step_needed(request)
        if step is None:
            return None
        # An htmx request comes from a page: come back to that page, not to the fragment.
        next_url = request.htmx.current_url_abs_path if request.htmx else request.get_full_path()
        url = reverse(step)
        if next_url:
            url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in member of staff stays in a browser's cache or a proxy's.

    On a clinic's shared tablet, Back after a logout would otherwise show the patient pages again
    from the cache. Whoever was signed in when the request came (the logout itself included) or is
    signed in when it leaves counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
