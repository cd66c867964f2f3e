"""API of the realestate app under /api/v1/realestate/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from realestate.api.changes import CalculatorView, ChangeRequestViewSet
from realestate.api.setup import AgreementTemplateViewSet
from realestate.api.views import (
    ContractViewSet,
    ProjectViewSet,
    ReceiptViewSet,
    SmallDepositViewSet,
    SubscriptionViewSet,
    UnitViewSet,
    VipCardViewSet,
)
from realestate.api.visitors import IntentionViewSet, WorkLogViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="re-project")
router.register("units", UnitViewSet, basename="re-unit")
router.register("subscriptions", SubscriptionViewSet, basename="re-subscription")
router.register("contracts", ContractViewSet, basename="re-contract")
router.register("receipts", ReceiptViewSet, basename="re-receipt")
router.register("vip-cards", VipCardViewSet, basename="re-vip")
router.register("small-deposits", SmallDepositViewSet, basename="re-small-deposit")
router.register("intentions", IntentionViewSet, basename="re-intention")
router.register("work-logs", WorkLogViewSet, basename="re-work-log")
router.register("agreement-templates", AgreementTemplateViewSet, basename="re-agreement-template")
router.register("changes", ChangeRequestViewSet, basename="re-change")
urlpatterns = [path("calculator/", CalculatorView.as_view(), name="re-calculator"), *router.urls]
