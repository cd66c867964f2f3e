"""The real-estate API under /api/v1/realestate/ (serializers and viewsets)."""
