from rest_framework import serializers

from treatments.models import Batch, Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "manufacturer", "kind", "gtin"]
        read_only_fields = fields


class BatchSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)
    quarantined = serializers.BooleanField(source="is_quarantined", read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "product",
            "lot_number",
            "expiry_date",
            "supplier",
            "received_on",
            "quarantined",
            "quarantined_at",
            "quarantine_reason",
        ]
        read_only_fields = fields
