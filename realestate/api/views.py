"""Viewsets of the real-estate API.

``projects/`` (list, detail, ``…/grid/`` the sales-control grid, transition ``open``),
``units/`` (filter ``project``, ``building``, ``state``; transitions ``hold``, ``release``),
``subscriptions/`` (create by the buyer's mobile; transitions ``issue_slip``, ``pay``,
``approve``, ``cancel`` with the reason as note), ``contracts/`` (create from a reviewed
subscription with the payment schedule; transitions ``collect``, ``sign``, ``file``,
``hand_over``; actions ``loan``, ``custody``, ``custody_return``, ``copies``), ``receipts/`` (the
cashier's; action ``refund``; ``hand_over`` hands the day to finance). Only the named services run:
a transition that is not listed is a 404, so no state is changed around its service.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from realestate import selectors, services
from realestate.models import Contract, Custody, Project, Receipt, SmallDeposit, Subscription, Unit, VipCard
from showroom.api.transitions import TransitionInputSerializer, TransitionViewSetMixin
from showroom.permissions import store_ids_for
from showroom.selectors.customers import customer_find_by_mobile, customer_get
from showroom.selectors.stores import store_get_for_user
from showroom.services.customers import customer_create
from showroom.services.transitions import TransitionNotFound

from . import serializers as s


class NamedTransitionsMixin(TransitionViewSetMixin):
    """Transitions run only through the services named in ``transition_services``."""

    @extend_schema(
        request=TransitionInputSerializer,
        responses={200: None, 400: None, 403: None, 404: None, 409: None},
        description="Run one step through its service.",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transitions(self, request, pk=None, name=None):
        if name not in self.transition_services:
            raise TransitionNotFound(name)
        return super().transitions(request, pk=pk, name=name)


def _detail_context(viewset) -> dict:
    context = viewset.get_serializer_context()
    context["detail"] = True
    return context


# --- projects and units ------------------------------------------------------------------------


class ProjectViewSet(NamedTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProjectSerializer
    transition_services = {
        "open": lambda *, instance, user, note, data: services.project_open(user=user, project=instance)
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return selectors.projects_for_user(user=self.request.user)

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"])
    def grid(self, request, pk=None):
        """The sales-control grid: per building its floors (top first) with units, and the count
        and built-up area per state. The same number of queries for 100 or 2,000 units."""
        project = self.get_object()
        data = selectors.grid_build(project=project)
        return Response(
            {
                "project": project.pk,
                "price_list": data["price_list"].pk if data["price_list"] else None,
                "states": [
                    {"state": row["code"], "label": str(row["label"]), "count": row["count"], "area": str(row["area"])}
                    for row in data["states"]
                ],
                "buildings": [
                    {
                        "id": b.building_id,
                        "name": b.name,
                        "floors": [
                            {
                                "floor": floor,
                                "units": [
                                    {
                                        "id": cell["unit"].pk,
                                        "number": cell["unit"].number,
                                        "state": cell["unit"].state,
                                        "built_area": str(cell["unit"].built_area),
                                        "layout": cell["unit"].layout,
                                        "price_per_m2": str(cell["per_m2"]),
                                        "total": str(cell["total"]),
                                        "holder": cell["holder"] or None,
                                    }
                                    for cell in cells
                                ],
                            }
                            for floor, cells in b.floors
                        ],
                    }
                    for b in data["buildings"]
                ],
            }
        )

    @extend_schema(request=None, responses={200: None, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def rates(self, request, pk=None):
        """The sales manager sets the deed tax %, maintenance fund %, registration fee, the
        small-deposit limit and days and the days to sign."""
        from .setup import rates_update

        return rates_update(request=request, project=self.get_object())


class UnitViewSet(NamedTransitionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.UnitSerializer
    transition_services = {
        "hold": lambda *, instance, user, note, data: services.unit_hold(user=user, unit=instance),
        "release": lambda *, instance, user, note, data: services.unit_release(user=user, unit=instance),
    }

    @extend_schema(request=None, responses={200: None, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"])
    def survey(self, request, pk=None):
        """The sales manager corrects the surveyed areas, layout and orientation of an available
        unit (409 once it is taken)."""
        from .setup import survey_update

        return survey_update(request=request, unit=self.get_object())

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Unit.objects.none()
        qs = Unit.objects.filter(store_id__in=store_ids_for(self.request.user)).select_related("building", "holder")
        params = self.request.query_params
        for key in ("project", "building"):
            value = params.get(key, "")
            if value.isdigit():
                qs = qs.filter(**{f"{key}_id": int(value)})
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        return qs


# --- subscriptions -----------------------------------------------------------------------------


def _cancel(*, instance, user, note, data):
    return services.subscription_cancel(user=user, subscription=instance, reason=note)


class SubscriptionViewSet(
    NamedTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SubscriptionSerializer
    transition_services = {
        "issue_slip": lambda *, instance, user, note, data: services.subscription_issue_slip(
            user=user, subscription=instance
        ),
        "pay": lambda *, instance, user, note, data: services.subscription_pay(user=user, subscription=instance),
        "approve": lambda *, instance, user, note, data: services.subscription_approve(
            user=user, subscription=instance
        ),
        "cancel": _cancel,
    }
    transition_inputs = {"cancel": s.CancelInputSerializer}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        params = self.request.query_params
        project = params.get("project", "")
        return selectors.subscriptions_for_user(
            user=self.request.user,
            state=params.get("state", ""),
            project_id=int(project) if project.isdigit() else None,
            overdue=params.get("overdue") == "1",
        )

    @extend_schema(request=s.SubscriptionCreateSerializer, responses={201: s.SubscriptionSerializer})
    def create(self, request, *args, **kwargs):
        """The consultant takes the unit for the buyer (a known mobile finds the store's customer;
        an unknown one registers them, with consent). One buyer wins a unit: the other gets 409."""
        payload = s.SubscriptionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = selectors.unit_get_for_user(user=request.user, unit_id=data["unit"])
        customer = customer_find_by_mobile(store=unit.store_id, mobile=data["mobile"])
        if customer is None:
            customer = customer_create(
                user=request.user,
                store=unit.store,
                name=data["name"],
                mobile=data["mobile"],
                consent_given=data["consent"],
            )
        sub = services.subscription_create(
            user=request.user,
            unit=unit,
            customer=customer,
            payment_method=data["payment_method"],
            deposit=data["deposit"],
        )
        sub = self.get_queryset().get(pk=sub.pk)
        return Response(s.SubscriptionSerializer(sub, context=_detail_context(self)).data, status=201)


# --- contracts ---------------------------------------------------------------------------------


def _file(*, instance, user, note, data):
    return services.contract_file(
        user=user,
        contract=instance,
        filing_number=data.get("filing_number", ""),
        certificate=data.get("certificate", ""),
    )


class ContractViewSet(
    NamedTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    transition_services = {
        "collect": lambda *, instance, user, note, data: services.contract_collect(user=user, contract=instance),
        "sign": lambda *, instance, user, note, data: services.contract_sign(user=user, contract=instance),
        "file": _file,
        "hand_over": lambda *, instance, user, note, data: services.contract_hand_over(
            user=user, contract=instance, **data
        ),
    }
    transition_inputs = {"file": s.FileInputSerializer, "hand_over": s.HandOverStepSerializer}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        params = self.request.query_params
        project = params.get("project", "")
        qs = selectors.contracts_for_user(
            user=self.request.user,
            state=params.get("state", ""),
            project_id=int(project) if project.isdigit() else None,
        )
        if self.action != "list":
            qs = qs.prefetch_related("payment_lines", "custody", "copies", "invoices")
        return qs

    def get_serializer_class(self):
        return s.ContractSerializer if self.action == "list" else s.ContractDetailSerializer

    def _detail(self, contract, status_code=200):
        contract = (
            self.get_queryset().prefetch_related("payment_lines", "custody", "copies", "invoices").get(pk=contract.pk)
        )
        return Response(s.ContractDetailSerializer(contract, context=_detail_context(self)).data, status=status_code)

    @extend_schema(request=s.ContractCreateSerializer, responses={201: s.ContractDetailSerializer})
    def create(self, request, *args, **kwargs):
        """The sales assistant drafts the contract of a reviewed subscription with its payment
        schedule (it must add up to the price); the fees follow the project's rates."""
        payload = s.ContractCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        sub = selectors.subscription_get_for_user(user=request.user, pk=data["subscription"])
        contract = services.contract_create(
            user=request.user,
            subscription=sub,
            schedule=[dict(row) for row in data["schedule"]],
            loan_bank=data["loan_bank"],
        )
        return self._detail(contract, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def handover_notice(self, request, pk=None):
        """The handover notice goes out (filed contracts)."""
        return self._detail(services.contract_handover_notice(user=request.user, contract=self.get_object()))

    @extend_schema(request=s.ContractInvoiceInputSerializer, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def invoices(self, request, pk=None):
        """An invoice against the returned receipts (deed tax, fund, payment) or the final one."""
        contract = self.get_object()
        payload = s.ContractInvoiceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.contract_invoice_issue(user=request.user, contract=contract, **payload.validated_data)
        return self._detail(contract)

    @extend_schema(request=s.ContractLoanInputSerializer, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def loan(self, request, pk=None):
        """The cashier records the bank's loan disbursement (a receipt)."""
        contract = self.get_object()
        payload = s.ContractLoanInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.contract_loan_record(user=request.user, contract=contract, **payload.validated_data)
        return self._detail(contract)

    @extend_schema(request=s.CustodyInputSerializer, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def custody(self, request, pk=None):
        """The buyer's ID card or seal is taken for filing."""
        contract = self.get_object()
        payload = s.CustodyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.custody_take(user=request.user, contract=contract, item=payload.validated_data["item"])
        return self._detail(contract)

    @extend_schema(request=s.CustodyInputSerializer, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def custody_return(self, request, pk=None):
        contract = self.get_object()
        payload = s.CustodyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        row = Custody.objects.filter(
            contract=contract, item=payload.validated_data["item"], returned_at__isnull=True
        ).first()
        if row is None:
            raise serializers.ValidationError({"item": [_("It is not lent out.")]})
        services.custody_return(user=request.user, custody=row)
        return self._detail(contract)

    @extend_schema(request=s.CopyInputSerializer, responses={200: s.ContractDetailSerializer})
    @action(detail=True, methods=["post"])
    def copies(self, request, pk=None):
        """One of the five copies was delivered to its holder."""
        contract = self.get_object()
        payload = s.CopyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.contract_copy_deliver(user=request.user, contract=contract, holder=payload.validated_data["holder"])
        return self._detail(contract)


# --- the cashier -------------------------------------------------------------------------------


class ReceiptViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ReceiptSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Receipt.objects.none()
        params = self.request.query_params
        project = params.get("project", "")
        day = params.get("day", "")
        try:
            day_value = timezone.datetime.fromisoformat(day).date() if day else None
        except ValueError:
            raise serializers.ValidationError({"day": [_("Enter a date as YYYY-MM-DD.")]}) from None
        return selectors.receipts_for_user(
            user=self.request.user,
            day=day_value,
            kind=params.get("kind", ""),
            project_id=int(project) if project.isdigit() else None,
        )

    @extend_schema(request=None, responses={201: s.ReceiptSerializer})
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """The cashier pays back against this receipt (taken back); once only."""
        refund = services.receipt_refund(user=request.user, receipt=self.get_object())
        refund = self.get_queryset().get(pk=refund.pk)
        return Response(s.ReceiptSerializer(refund).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HandOverInputSerializer, responses={200: None})
    @action(detail=False, methods=["post"])
    def hand_over(self, request):
        """The cashier hands the day's receipts-and-payments report to finance; it is final."""
        payload = s.HandOverInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        store = store_get_for_user(user=request.user, store_id=payload.validated_data["store"])
        day = payload.validated_data.get("day") or timezone.localdate()
        report = services.cashier_day_hand_over(user=request.user, store=store, day=day)
        return Response(
            {
                "store": store.pk,
                "day": report.day,
                "count": report.count,
                "received": str(report.received),
                "refunded": str(report.refunded),
                "handed_over_at": report.handed_over_at,
            }
        )


# --- VIP pre-registration and small deposits ----------------------------------------------------


def _card(func):
    return lambda *, instance, user, note, data: func(user=user, card=instance)


def _deposit(func):
    return lambda *, instance, user, note, data: func(user=user, deposit=instance)


class VipCardViewSet(
    NamedTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """VIP cards (filter ``project``, ``state``); transitions ``pay``, ``review``, ``issue``,
    ``request_refund`` (the reason as note), ``approve_refund``, ``take_back``, ``refund``."""

    serializer_class = s.VipCardSerializer
    transition_services = {
        "pay": _card(services.vip_pay),
        "review": _card(services.vip_review),
        "issue": _card(services.vip_issue),
        "request_refund": lambda *, instance, user, note, data: services.vip_refund_request(
            user=user, card=instance, reason=note
        ),
        "approve_refund": _card(services.vip_refund_approve),
        "take_back": _card(services.vip_take_back),
        "refund": lambda *, instance, user, note, data: services.vip_refund(user=user, card=instance).vip_card,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VipCard.objects.none()
        params = self.request.query_params
        project = params.get("project", "")
        return selectors.vip_cards_for_user(
            user=self.request.user,
            project_id=int(project) if project.isdigit() else None,
            state=params.get("state", ""),
        )

    @extend_schema(request=s.VipCreateSerializer, responses={201: s.VipCardSerializer})
    def create(self, request, *args, **kwargs):
        """The consultant records the signed pre-registration agreement."""
        payload = s.VipCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project = selectors.project_get_for_user(user=request.user, project_id=data["project"])
        card = services.vip_record(
            user=request.user,
            project=project,
            customer=customer_get(user=request.user, pk=data["customer"]),
            amount=data["amount"],
            agreement_no=data["agreement_no"],
        )
        card = self.get_queryset().get(pk=card.pk)
        return Response(s.VipCardSerializer(card, context=_detail_context(self)).data, status=201)


class SmallDepositViewSet(
    NamedTransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Small deposits (filter ``project``, ``state``); transitions ``record``, ``review``, ``pay``."""

    serializer_class = s.SmallDepositSerializer
    transition_services = {
        "record": _deposit(services.small_deposit_record),
        "review": _deposit(services.small_deposit_review),
        "pay": _deposit(services.small_deposit_pay),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SmallDeposit.objects.none()
        params = self.request.query_params
        project = params.get("project", "")
        return selectors.small_deposits_for_user(
            user=self.request.user,
            project_id=int(project) if project.isdigit() else None,
            state=params.get("state", ""),
        )

    @extend_schema(request=s.SmallDepositCreateSerializer, responses={201: s.SmallDepositSerializer})
    def create(self, request, *args, **kwargs):
        """The consultant applies; the unit shows "small deposit" at once (one buyer wins)."""
        payload = s.SmallDepositCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = selectors.unit_get_for_user(user=request.user, unit_id=data["unit"])
        deposit = services.small_deposit_apply(
            user=request.user,
            unit=unit,
            customer=customer_get(user=request.user, pk=data["customer"]),
            amount=data["amount"],
        )
        deposit = self.get_queryset().get(pk=deposit.pk)
        return Response(s.SmallDepositSerializer(deposit, context=_detail_context(self)).data, status=201)
