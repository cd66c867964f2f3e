"""API of the warehouse app under /api/v1/warehouse/; resources arrive with the app's issue."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
