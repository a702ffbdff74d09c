"""A session as the API shows it, and a new session as it is sent: the fields of the session form, as
JSON, bound to the token's clinic as the form binds them to the user's, its refusals in the form's words."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinics.clocks import on_clinic_clock
from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from patients.models import Patient
from treatments.forms import BATCH_NOT_FOUND, MAX_PRODUCTS_PER_SESSION, PATIENT_NOT_FOUND, PRACTITIONER_NOT_FOUND
from treatments.models import Aftercare, Area, Batch, SessionArea, SessionProduct, Technique, TreatmentSession
from treatments.services import (
    MAX_POINTS_PER_SESSION,
    TOO_MANY_POINTS,
    TOO_MANY_PRODUCTS,
    AreaTreated,
    PointPlaced,
    ProductUse,
)

from .. import selectors
from .common import StaffSerializer


class SessionAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionArea
        fields = ["area", "description"]
        read_only_fields = fields


class SessionProductSerializer(serializers.ModelSerializer):
    batch = serializers.UUIDField(source="batch_id", read_only=True)
    product = serializers.UUIDField(source="batch.product_id", read_only=True)
    product_name = serializers.CharField(source="batch.product.name", read_only=True)
    lot_number = serializers.CharField(source="batch.lot_number", read_only=True)
    expiry_date = serializers.DateField(source="batch.expiry_date", read_only=True)

    class Meta:
        model = SessionProduct
        fields = ["batch", "product", "product_name", "lot_number", "expiry_date", "volume_ml"]
        read_only_fields = fields


class PointSerializer(serializers.Serializer):
    diagram = serializers.CharField(read_only=True)
    zone = serializers.CharField(read_only=True)
    x = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    y = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    product = serializers.IntegerField(read_only=True, help_text=_("The point's product: its place in `products`."))
    volume_ml = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)


class SessionSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True)
    practitioner = StaffSerializer(read_only=True)
    recorded_by = StaffSerializer(read_only=True)
    areas = SessionAreaSerializer(many=True, read_only=True)
    zones = serializers.SerializerMethodField()
    products = SessionProductSerializer(many=True, read_only=True, source="products_used")
    points = serializers.SerializerMethodField()

    class Meta:
        model = TreatmentSession
        fields = [
            "id",
            "patient",
            "practitioner",
            "performed_at",
            "series_number",
            "technique",
            "technique_other",
            "aftercare",
            "notes",
            "areas",
            "zones",
            "products",
            "points",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_zones(self, session: TreatmentSession) -> list[str]:
        return [zone.zone for zone in session.zones.all()]

    @extend_schema_field(PointSerializer(many=True))
    def get_points(self, session: TreatmentSession) -> list:
        place = {use.pk: index for index, use in enumerate(session.products_used.all())}
        points = [
            PointPlaced(p.diagram, p.zone, p.x, p.y, place[p.product_use_id], p.volume_ml)
            for p in session.injection_points.all()
        ]
        return PointSerializer(points, many=True).data


class WallClockOrMomentField(serializers.DateTimeField):
    """ISO 8601. With an offset it is that moment; without one, a time on the patient's clinic's clock,
    as the session form reads what staff type."""

    def enforce_timezone(self, value):
        return value


class ProductUseWriteSerializer(serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(
        queryset=Batch.objects.none(), error_messages={"does_not_exist": BATCH_NOT_FOUND}
    )
    volume_ml = serializers.DecimalField(max_digits=6, decimal_places=2)


class PointWriteSerializer(serializers.Serializer):
    diagram = serializers.CharField(max_length=30)
    zone = serializers.CharField(max_length=30)
    # Loose bounds: the session's rules say what a point may be, in their own words.
    x = serializers.DecimalField(max_digits=12, decimal_places=8)
    y = serializers.DecimalField(max_digits=12, decimal_places=8)
    product = serializers.IntegerField(help_text=_("The point's product: its place in `products`, from 0."))
    volume_ml = serializers.DecimalField(max_digits=7, decimal_places=2)


class SessionWriteSerializer(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(
        queryset=Patient.objects.none(), error_messages={"does_not_exist": PATIENT_NOT_FOUND}
    )
    practitioner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), error_messages={"does_not_exist": PRACTITIONER_NOT_FOUND}
    )
    performed_at = WallClockOrMomentField()
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=Area.choices), required=False, default=list, max_length=len(Area)
    )
    area_other = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    technique = serializers.ChoiceField(choices=Technique.choices)
    technique_other = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    aftercare = serializers.ListField(
        child=serializers.ChoiceField(choices=Aftercare.choices),
        required=False,
        default=list,
        max_length=len(Aftercare),
    )
    notes = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
    products = serializers.ListField(
        child=ProductUseWriteSerializer(),
        required=False,
        default=list,
        max_length=MAX_PRODUCTS_PER_SESSION,
        error_messages={"max_length": TOO_MANY_PRODUCTS},
    )
    zones = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    points = serializers.ListField(
        child=PointWriteSerializer(),
        required=False,
        default=list,
        max_length=MAX_POINTS_PER_SESSION,
        error_messages={"max_length": TOO_MANY_POINTS % {"count": MAX_POINTS_PER_SESSION}},
    )

    def __init__(self, *args, clinic: Clinic | None = None, **kwargs):
        """Bound to the clinic's patients, staff and stock; to none without a clinic (the schema's)."""
        super().__init__(*args, **kwargs)
        if clinic is None:
            return
        self.fields["patient"].queryset = selectors.patients_of(clinic=clinic).select_related("clinic")
        self.fields["practitioner"].queryset = selectors.staff_of(clinic=clinic)
        self.fields["products"].child.fields["batch"].queryset = selectors.batches_of(clinic=clinic)

    def validate(self, data: dict) -> dict:
        if timezone.is_naive(data["performed_at"]):
            try:
                data["performed_at"] = on_clinic_clock(data["performed_at"], data["patient"].clinic.zone)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"performed_at": error.messages}) from error
        return data

    def service_arguments(self, *, recorded_by) -> dict:
        """The arguments of `treatments.services.session_create`, as the session form gives them."""
        data = self.validated_data
        return {
            "patient": data["patient"],
            "practitioner": data["practitioner"],
            "performed_at": data["performed_at"],
            "areas": [
                AreaTreated(area=area, description=data["area_other"] if area == Area.OTHER else "")
                for area in dict.fromkeys(data["areas"])
            ],
            "products": [ProductUse(batch=use["batch"], volume_ml=use["volume_ml"]) for use in data["products"]],
            "technique": data["technique"],
            "technique_other": data["technique_other"],
            "aftercare": list(dict.fromkeys(data["aftercare"])),
            "notes": data["notes"],
            "recorded_by": recorded_by,
            "zones": data["zones"],
            "points": [PointPlaced(**point) for point in data["points"]],
        }
