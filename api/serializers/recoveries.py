"""A recovery as the dashboard's work queue reads it (`recovery.dashboard_selectors.queue_rows`): its status
as of the list's moment, every reason with its level, and the next moment time alone will change it."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recovery.dashboard_selectors import QueueRow
from recovery.findings import Level
from recovery.reasons import words
from recovery.rules import Status

from .common import StaffSerializer, moment


class ReasonSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    code = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    since = serializers.DateTimeField(read_only=True)


class RecoverySerializer(serializers.Serializer):
    session = serializers.UUIDField(source="recovery.session_id", read_only=True)
    patient = serializers.UUIDField(source="recovery.session.patient_id", read_only=True)
    practitioner = StaffSerializer(source="recovery.session.practitioner", read_only=True)
    performed_at = serializers.DateTimeField(source="recovery.performed_at", read_only=True)
    days_since_session = serializers.IntegerField(read_only=True)
    areas = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    followed_up = serializers.BooleanField(read_only=True)
    reasons = serializers.SerializerMethodField()
    needs_attention_since = serializers.SerializerMethodField()
    waiting_since = serializers.SerializerMethodField()
    overdue_since = serializers.SerializerMethodField()
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    unanswered_calls = serializers.IntegerField(read_only=True)
    last_unanswered_call = serializers.CharField(read_only=True, allow_null=True)
    latest_report_at = serializers.DateTimeField(source="recovery.latest_report_at", read_only=True, allow_null=True)
    patient_reported = serializers.BooleanField(source="recovery.patient_reported", read_only=True)
    clinician_confirmed = serializers.BooleanField(source="recovery.clinician_confirmed", read_only=True)
    closed_at = serializers.DateTimeField(source="recovery.closed_at", read_only=True, allow_null=True)
    closing_outcome = serializers.CharField(source="recovery.closing_outcome", read_only=True)

    def get_areas(self, row: QueueRow) -> list[str]:
        return [area.area for area in row.recovery.session.areas.all()]

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, row: QueueRow) -> list:
        """All its current reasons, attention first, in the reader's language."""
        reasons = [
            {"level": finding.level, "code": finding.code, "reason": words(finding), "since": finding.since}
            for finding in row.reasons
        ]
        return ReasonSerializer(reasons, many=True).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_needs_attention_since(self, row: QueueRow):
        return moment(row.recovery.attention_at) if row.status == Status.NEEDS_ATTENTION else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_waiting_since(self, row: QueueRow):
        """Since when it has needed attention that no one has acknowledged yet."""
        waiting = row.status == Status.NEEDS_ATTENTION and not row.followed_up
        return moment(row.recovery.unacknowledged_at) if waiting else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_overdue_since(self, row: QueueRow):
        return moment(row.recovery.overdue_at) if row.status == Status.OVERDUE else None
