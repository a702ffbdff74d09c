from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from recovery import sessions
from treatments.models import TreatmentSession

from .. import selectors
from ..filters import SessionFilter
from ..serializers.sessions import SessionSerializer, SessionWriteSerializer
from .base import ClinicDetail, ClinicView, refusal

REFUSED = OpenApiResponse(description=_("Refused: each field's problems, in the words of the session form."))


class SessionList(ClinicView, generics.ListCreateAPIView):
    queryset = TreatmentSession.objects.none()
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering = ("-performed_at", "-id")

    def get_queryset(self):
        return selectors.sessions_of(clinic=self.clinic)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer, 400: REFUSED})
    def post(self, request):
        """Log a session and open its recovery, as the session form does: check-ins planned, the guide sent."""
        entry = SessionWriteSerializer(data=request.data, clinic=self.clinic)
        entry.is_valid(raise_exception=True)
        try:
            session = sessions.session_log(**entry.service_arguments(recorded_by=request.user))
        except DjangoValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            raise refusal(errors) from error
        self.trail_patient_id = session.patient_id
        session = self.get_queryset().get(pk=session.pk)
        location = request.build_absolute_uri(reverse("api:session", args=[session.pk]))
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED, headers={"Location": location})


class SessionDetail(ClinicDetail):
    queryset = TreatmentSession.objects.none()
    serializer_class = SessionSerializer
    lookup_url_kwarg = "session_id"

    def get_queryset(self):
        return selectors.sessions_of(clinic=self.clinic)

    def patient_of(self, record):
        return record.patient_id
