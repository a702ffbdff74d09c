"""What was reported after a session, and what staff did and confirmed: reports, follow-ups, complications."""

from rest_framework import serializers

from recovery.models import Complication, FollowUp, ReactionReport, RedFlagAnswer, ReportedReaction, SuspectProduct

from .common import StaffSerializer


class ReportedReactionSerializer(serializers.ModelSerializer):
    reaction = serializers.CharField(source="reaction_type.code", read_only=True)
    label = serializers.CharField(source="reaction_type.staff_text", read_only=True)
    kind = serializers.CharField(source="reaction_type.kind", read_only=True)

    class Meta:
        model = ReportedReaction
        fields = ["reaction", "label", "kind", "severity", "pain_score", "areas"]
        read_only_fields = fields


class RedFlagAnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    label = serializers.CharField(source="question.staff_text", read_only=True)
    emergency = serializers.BooleanField(source="question.emergency", read_only=True)

    class Meta:
        model = RedFlagAnswer
        fields = ["question", "label", "emergency", "present"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="session_id", read_only=True)
    recorded_by = StaffSerializer(read_only=True, allow_null=True)
    reactions = ReportedReactionSerializer(many=True, read_only=True)
    red_flags = RedFlagAnswerSerializer(many=True, read_only=True, source="red_flag_answers")

    class Meta:
        model = ReactionReport
        fields = [
            "id",
            "session",
            "reported_at",
            "source",
            "recorded_by",
            "wants_call",
            "needs_clinician",
            "note",
            "reactions",
            "red_flags",
            "created_at",
        ]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="recovery_id", read_only=True)
    recorded_by = StaffSerializer(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "session", "action", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class SuspectSerializer(serializers.ModelSerializer):
    batch = serializers.UUIDField(source="session_product.batch_id", read_only=True)
    product = serializers.UUIDField(source="session_product.batch.product_id", read_only=True)
    product_name = serializers.CharField(source="session_product.batch.product.name", read_only=True)
    lot_number = serializers.CharField(source="session_product.batch.lot_number", read_only=True)

    class Meta:
        model = SuspectProduct
        fields = ["batch", "product", "product_name", "lot_number", "causality"]
        read_only_fields = fields


class ComplicationSerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="recovery_id", read_only=True)
    seriousness = serializers.ListField(child=serializers.CharField(), read_only=True)
    serious = serializers.BooleanField(source="is_serious", read_only=True)
    onset_class = serializers.CharField(read_only=True)
    suspects = SuspectSerializer(many=True, read_only=True)
    recorded_by = StaffSerializer(read_only=True)

    class Meta:
        model = Complication
        fields = [
            "id",
            "session",
            "complication_type",
            "grade",
            "serious",
            "seriousness",
            "ischaemic",
            "onset_at",
            "onset_class",
            "resolved_on",
            "outcome",
            "treatments_given",
            "suspects",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields
