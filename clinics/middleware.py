import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import resolve_url
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from .scoping import clinics_of

LAST_ACTIVITY = "last_activity"
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
            elif BACKGROUND_REFRESH_HEADER not in request.headers:
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
