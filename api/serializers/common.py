from rest_framework import serializers


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


# Moments worked out rather than read from a field, written as the fields write theirs: ISO 8601 on
# the clinic's clock, with its offset.
MOMENT = serializers.DateTimeField(read_only=True)


def moment(value):
    return MOMENT.to_representation(value) if value else None
