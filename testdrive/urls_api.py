"""API of the testdrive app under /api/v1/testdrive/; resources arrive with the app's issue."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
