"""API of the leads app under /api/v1/leads/; resources arrive with the app's issue."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
