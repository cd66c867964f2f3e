"""API of the realestate app under /api/v1/realestate/; resources arrive with the app's issue."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
