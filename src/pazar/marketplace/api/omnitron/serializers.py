from rest_framework import serializers

from pazar.marketplace.models import MarketplaceSettings


class MarketplaceSettingsSerializer(serializers.ModelSerializer):
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = MarketplaceSettings
        fields = ["auto_approve_products", "modified_date"]
