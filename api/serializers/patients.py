from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clinics.limits import NOTE_MAX_LENGTH
from patients.models import Patient, Sex


class PatientSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text=_("E.164, e.g. +447700900123; empty when none is recorded."))

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            "sensitivities",
            "language",
            "consents_to_check_ins",
            "consents_to_photos",
            "photo_consent_on",
            "texts_stopped_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_phone(self, patient: Patient) -> str:
        return patient.phone.as_e164 if patient.phone else ""


class PatientWriteSerializer(serializers.Serializer):
    """A new patient's fields, as JSON types; the patient form then holds them to its rules, with its words."""

    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    date_of_birth = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("A mobile number; one without an international prefix is read as the clinic's country's."),
    )
    sensitivities = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True, default="")
    consents_to_check_ins = serializers.BooleanField(required=False, default=False)
    consents_to_photos = serializers.BooleanField(required=False, default=False)
