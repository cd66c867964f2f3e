"""API of the delivery app under /api/v1/delivery/; resources arrive with the app's issue."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
