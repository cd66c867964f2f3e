"""API of the delivery app under /api/v1/delivery/."""

from rest_framework.routers import DefaultRouter

from delivery.api import CareCallViewSet, DeliveryViewSet, RepairTicketViewSet

router = DefaultRouter()
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("care-calls", CareCallViewSet, basename="care-call")
router.register("repairs", RepairTicketViewSet, basename="repair")
urlpatterns = router.urls
