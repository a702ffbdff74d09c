from django.utils import timezone

from .scoping import clinics_of


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
