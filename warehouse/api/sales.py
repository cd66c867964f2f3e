"""The API of selling, accounts and the journal under /api/v1/warehouse/.

``sales-orders/`` (create; ``…/transitions/approve|cancel/``; ``…/pick/``, ``…/pack/``,
``…/close-packing/``, ``…/reserve-short/``), ``slips/`` (filter ``waiting_for_credit``;
``…/transitions/approve|cancel/``; ``…/sign/``), ``accounts/`` (create; ``…/statement/``,
``…/payments/``), ``invoices/`` (create from an order; ``…/pay-from-balance/``),
``drop-ship/`` (create; ``…/transitions/approve|invoice|receive_invoice|cancel/``),
``retail-sales/`` (create), ``retail-reports/`` (create; ``…/transitions/approve/``) and
``journal/`` (filters ``start``, ``end``, ``kind``, ``account``). Every write calls one service.
"""

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.api.transitions import TransitionInputSerializer, TransitionViewSetMixin
from warehouse import selectors_sales as sel
from warehouse.api import sales_serializers as s
from warehouse.api.views import _member
from warehouse.services import (
    account_open,
    box_pack,
    dropship_approve,
    dropship_cancel,
    dropship_create,
    dropship_invoice,
    dropship_purchase_invoice,
    invoice_pay_from_balance,
    outbound_sign,
    packing_close,
    payment_record,
    pick_record,
    retail_report_approve,
    retail_report_create,
    retail_sale_record,
    sales_invoice_create,
    sales_order_approve,
    sales_order_cancel,
    sales_order_create,
    sales_order_reserve_short,
    slip_approve,
    slip_cancel,
)


def _svc(func, key: str):
    def run(*, instance, user, note, data):
        return func(**{key: instance}, user=user, note=note, **data)

    return run


class PurchaseInvoiceInput(TransitionInputSerializer):
    supplier_number = serializers.CharField(max_length=40)


class SalesOrderViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    transition_services = {
        "approve": _svc(sales_order_approve, "order"),
        "cancel": _svc(sales_order_cancel, "order"),
    }

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        rows = sel.sales_order_list(user=self.request.user, state=self.request.query_params.get("state", ""))
        return rows if self.action == "list" else rows.prefetch_related("lines")

    def get_serializer_class(self):
        return s.SalesOrderSerializer if self.action == "list" else s.SalesOrderDetailSerializer

    def _detail(self, order, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    @extend_schema(request=s.SalesOrderInput, responses={201: s.SalesOrderDetailSerializer})
    def create(self, request):
        data = s.SalesOrderInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        return self._detail(sales_order_create(user=request.user, **values), status.HTTP_201_CREATED)

    @extend_schema(request=s.PicksInput, responses={200: s.SalesOrderDetailSerializer})
    @action(detail=True, methods=["post"])
    def pick(self, request, pk=None):
        order = self.get_object()
        data = s.PicksInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        pick_record(order=order, user=request.user, picks=[dict(p) for p in data.validated_data["picks"]])
        return self._detail(order)

    @extend_schema(request=s.PackInput, responses={201: None})
    @action(detail=True, methods=["post"])
    def pack(self, request, pk=None):
        order = self.get_object()
        data = s.PackInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        box = box_pack(order=order, user=request.user, contents=[dict(c) for c in data.validated_data["contents"]])
        return Response({"id": box.pk, "number": box.number}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.SalesSlipSerializer})
    @action(detail=True, methods=["post"], url_path="close-packing")
    def close_packing(self, request, pk=None):
        slip = packing_close(order=self.get_object(), user=request.user)
        slip = sel.sales_slip_list(user=request.user).get(pk=slip.pk)
        return Response(s.SalesSlipSerializer(slip, context={"request": request}).data, status=201)

    @extend_schema(request=None, responses={200: s.SalesOrderDetailSerializer})
    @action(detail=True, methods=["post"], url_path="reserve-short")
    def reserve_short(self, request, pk=None):
        return self._detail(sales_order_reserve_short(order=self.get_object(), user=request.user))


class SalesSlipViewSet(TransitionViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SalesSlipSerializer
    transition_services = {"approve": _svc(slip_approve, "slip"), "cancel": _svc(slip_cancel, "slip")}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        params = self.request.query_params
        return sel.sales_slip_list(
            user=self.request.user,
            state=params.get("state", ""),
            waiting_for_credit=params.get("waiting_for_credit") == "1",
        )

    @extend_schema(request=s.SignInput, responses={201: None})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        slip = self.get_object()
        data = s.SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        outbound = getattr(slip, "outbound", None)
        if outbound is None:
            from showroom.services.transitions import TransitionConflict

            raise TransitionConflict("The slip has no outbound slip yet.", state=slip.state)
        signature = outbound_sign(outbound=outbound, user=request.user, **data.validated_data)
        outbound.refresh_from_db()
        return Response(
            {"role": signature.role, "name": signature.name, "shipped_at": outbound.shipped_at},
            status=status.HTTP_201_CREATED,
        )


class AccountViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AccountSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.account_list(user=self.request.user, q=self.request.query_params.get("q", ""))

    @extend_schema(request=s.AccountInput, responses={201: s.AccountSerializer})
    def create(self, request):
        data = s.AccountInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        account = account_open(user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=account.pk)).data, status=201)

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"])
    def statement(self, request, pk=None):
        statement = sel.account_statement(account=self.get_object())
        return Response(
            {
                "account": s.AccountSerializer(self.get_object()).data,
                "entries": s.EntrySerializer(statement["entries"], many=True).data,
                "invoices": s.InvoiceSerializer(statement["invoices"], many=True).data,
                "paid_in": statement["paid_in"],
                "charged": statement["charged"],
                "invoiced": statement["invoiced"],
                "open": statement["open"],
            }
        )

    @extend_schema(request=s.PaymentInput, responses={201: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        account = self.get_object()
        data = s.PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = payment_record(user=request.user, account=account, **data.validated_data)
        return Response(s.EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class InvoiceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.InvoiceSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.invoice_list(user=self.request.user, open_only=self.request.query_params.get("open") == "1")

    @extend_schema(request=s.InvoiceInput, responses={201: s.InvoiceSerializer})
    def create(self, request):
        data = s.InvoiceInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        invoice = sales_invoice_create(user=request.user, **data.validated_data)
        return Response(self.get_serializer(invoice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.EntrySerializer})
    @action(detail=True, methods=["post"], url_path="pay-from-balance")
    def pay_from_balance(self, request, pk=None):
        entry = invoice_pay_from_balance(
            user=request.user, invoice=self.get_object(), amount=request.data.get("amount")
        )
        return Response(s.EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class DropShipViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DropShipSerializer
    transition_services = {
        "approve": _svc(dropship_approve, "sale"),
        "invoice": lambda *, instance, user, note, data: dropship_invoice(sale=instance, user=user, note=note).dropship,
        "receive_invoice": lambda *, instance, user, note, data: (
            dropship_purchase_invoice(sale=instance, user=user, note=note, **data).dropship
        ),
        "cancel": _svc(dropship_cancel, "sale"),
    }
    transition_inputs = {"receive_invoice": PurchaseInvoiceInput}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.dropship_list(user=self.request.user)

    @extend_schema(request=s.DropShipInput, responses={201: s.DropShipSerializer})
    def create(self, request):
        data = s.DropShipInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        sale = dropship_create(user=request.user, **values)
        return Response(self.get_serializer(sale).data, status=status.HTTP_201_CREATED)


class RetailReportViewSet(TransitionViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RetailReportSerializer
    transition_services = {"approve": _svc(retail_report_approve, "report")}

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        return sel.retail_report_list(user=self.request.user)

    @extend_schema(request=s.RetailReportInput, responses={201: s.RetailReportSerializer})
    def create(self, request):
        data = s.RetailReportInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = retail_report_create(user=request.user, **data.validated_data)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class RetailSaleViewSet(viewsets.GenericViewSet):
    serializer_class = s.RetailSaleInput

    @extend_schema(request=s.RetailSaleInput, responses={201: None})
    def create(self, request):
        _member(request)
        data = s.RetailSaleInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        sale = retail_sale_record(user=request.user, **data.validated_data)
        return Response({"id": sale.pk, "total": sale.total, "day": sale.day}, status=status.HTTP_201_CREATED)


class JournalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.JournalLineSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            _member(self.request)
        params = self.request.query_params

        def day(name):
            try:
                return dt.date.fromisoformat(params[name]) if params.get(name) else None
            except ValueError:
                return None

        return sel.journal_list(
            user=self.request.user,
            start=day("start"),
            end=day("end"),
            kind=params.get("kind", ""),
            account=params.get("account", ""),
        )
