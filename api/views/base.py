"""What every endpoint shares: the token's clinic is its whole scope, its times are on that clinic's
clock, and every request it answers is counted and written to the trail as the token's."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from rest_framework import generics
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.settings import api_settings

from clinics.models import Clinic

from .. import services
from ..models import ApiToken


def refusal(errors: dict) -> ValidationError:
    """A form's or a service's errors by field, as a 400 answer: the same words the pages show."""
    return ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in errors.items()
        }
    )


class ClinicView(generics.GenericAPIView):
    # The patient whose record the answer showed or changed, for the trail; none for a list.
    trail_patient_id = None

    @property
    def clinic(self) -> Clinic:
        return self.request.auth.clinic

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Deactivated after the response by clinics.middleware.ClinicTimezoneMiddleware.
        timezone.activate(self.clinic.zone)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        try:
            token = request.auth
        except APIException:
            token = None
        if isinstance(token, ApiToken):
            services.api_token_request_record(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status_code=response.status_code,
                patient_id=self.trail_patient_id,
            )
        return response


class ClinicDetail(ClinicView, generics.RetrieveAPIView):
    """One record of the clinic by its id; another clinic's id is not found (404)."""

    def get_object(self):
        record = super().get_object()
        self.trail_patient_id = self.patient_of(record)
        return record

    def patient_of(self, record):
        return None
