"""API of the leads app under /api/v1/leads/ (see ``leads.api``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from leads.api import LeadViewSet
from leads.api_campaigns import CampaignViewSet, OwnerViewSet
from leads.api_catalogue import BrandViewSet, ColourViewSet, PriceViewSet, TrimViewSet, VehicleModelViewSet
from leads.api_sales import AppraisalViewSet, LoanCalculatorView, OrderViewSet, QuoteViewSet

router = DefaultRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("brands", BrandViewSet, basename="lead-brand")
router.register("models", VehicleModelViewSet, basename="lead-vehicle-model")
router.register("trims", TrimViewSet, basename="lead-trim")
router.register("colours", ColourViewSet, basename="lead-colour")
router.register("prices", PriceViewSet, basename="lead-price")
router.register("owners", OwnerViewSet, basename="lead-owner")
router.register("campaigns", CampaignViewSet, basename="lead-campaign")
router.register("quotes", QuoteViewSet, basename="lead-quote")
router.register("orders", OrderViewSet, basename="lead-order")
router.register("appraisals", AppraisalViewSet, basename="lead-appraisal")
urlpatterns = [
    *router.urls,
    path("loan-calculator/", LoanCalculatorView.as_view(), name="lead-loan-calculator"),
]
