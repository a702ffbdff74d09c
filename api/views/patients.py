from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from patients.forms import PatientForm
from patients.models import Patient

from .. import selectors
from ..serializers.patients import PatientSerializer, PatientWriteSerializer
from .base import ClinicDetail, ClinicView, refusal

REFUSED = OpenApiResponse(description=_("Refused: each field's problems, in the words of the patient form."))


class PatientList(ClinicView, generics.ListCreateAPIView):
    queryset = Patient.objects.none()
    serializer_class = PatientSerializer
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.patients_of(clinic=self.clinic)

    @extend_schema(request=PatientWriteSerializer, responses={201: PatientSerializer, 400: REFUSED})
    def post(self, request):
        """Add a patient to the token's clinic, held to the rules of the patient form."""
        fields = PatientWriteSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        form = PatientForm({**fields.validated_data, "clinic": self.clinic.pk}, clinics=[self.clinic])
        if not form.is_valid():
            raise refusal(form.errors)
        patient = form.save()
        self.trail_patient_id = patient.pk
        location = request.build_absolute_uri(reverse("api:patient", args=[patient.pk]))
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED, headers={"Location": location})


class PatientDetail(ClinicDetail):
    queryset = Patient.objects.none()
    serializer_class = PatientSerializer
    lookup_url_kwarg = "patient_id"

    def get_queryset(self):
        return selectors.patients_of(clinic=self.clinic)

    def patient_of(self, record):
        return record.pk
