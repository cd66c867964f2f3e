"""API of the testdrive app under /api/v1/testdrive/ (see ``testdrive.api``)."""

from rest_framework.routers import DefaultRouter

from testdrive.api import BookingViewSet, RouteViewSet, VehicleViewSet

router = DefaultRouter()
router.register("vehicles", VehicleViewSet, basename="testdrive-vehicle")
router.register("routes", RouteViewSet, basename="testdrive-route")
router.register("bookings", BookingViewSet, basename="testdrive-booking")
urlpatterns = router.urls
