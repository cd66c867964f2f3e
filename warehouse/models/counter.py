"""Counter sales of the electronics counter shop (article 9, 柜台销售及售后人员工作标准流程).

四、开单: 销售人员根据产品型号和所卖价格,给客户填写销售收据 … 若客户允许,应在客户栏登记本上做好客户资料
(包括单位、地址、联系方式等)登记 — a numbered counter receipt (CR) per sale.
五、备货: 一定要凭单备货,货要和收据上的项目一致 — goods are picked only against a receipt, line by line.
三、客户接待 7: 实在不知道的,要留下客户联系方式并做好产品需求的详细记录 … 及时打电话给客户 — a question
becomes a callback follow-up.
六、补货 14–16: the replenishment list at closing, sent to the warehouse supervisor, who asks
purchasing for what the warehouse lacks; purchasing tells the counter the expected date.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Customer, FollowUp, Store
from showroom.permissions import role_permission
from warehouse.models.accounts import PaymentMethod
from warehouse.models.catalog import Bin, Item, Warehouse
from warehouse.models.documents import PurchaseOrder, PurchaseRequest
from warehouse.models.ledger import Reservation, StockMove

ZERO = Decimal("0")
# 柜台人员: who writes receipts and takes the money at the counter.
COUNTER_STAFF = (r.COUNTER_LEADER, r.SALES_ASSISTANT, r.CASHIER)
# 凭单备货: the counter staff pick from the counter, a keeper from the shop's stock room.
COUNTER_PICKERS = (r.COUNTER_LEADER, r.SALES_ASSISTANT, r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)
COUNTER_CANCELLERS = (r.COUNTER_LEADER, r.GENERAL_MANAGER)
# 店长安排人员清点存货并做好需要补货的产品明细: the counter leader (店长) confirms the list.
REPLENISHERS = (r.COUNTER_LEADER,)
WAREHOUSE_HEADS = (r.WAREHOUSE_SUPERVISOR,)


class CounterReceipt(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """The sales receipt (销售收据) of one counter sale: numbered, paid, then picked against."""

    class State(models.TextChoices):
        ISSUED = "issued", _("Receipt written, goods to pick")
        PICKED = "picked", _("Goods picked and handed over")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("counter stock")
    )
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    state = FSMField(_("state"), default=State.ISSUED, choices=State.choices, protected=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("customer")
    )
    # 客户资料(包括单位、地址、联系方式等), only when the customer allows it.
    customer_name = models.CharField(_("customer's name"), max_length=80, blank=True)
    customer_company = models.CharField(_("company"), max_length=120, blank=True)
    customer_address = models.CharField(_("address"), max_length=200, blank=True)
    customer_contact = models.CharField(_("contact"), max_length=60, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    total = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=ZERO)
    received = models.DecimalField(_("received"), max_digits=16, decimal_places=2, default=ZERO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    picked_at = models.DateTimeField(_("picked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("counter receipt")
        verbose_name_plural = _("counter receipts")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="counter_receipt_total"),
            models.CheckConstraint(condition=Q(received__gte=models.F("total")), name="counter_receipt_paid"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def change(self) -> Decimal:
        return self.received - self.total

    @transition(field=state, source=State.ISSUED, target=State.PICKED, permission=role_permission(*COUNTER_PICKERS))
    def pick(self):
        """凭单备货: every line picked as written; one issue per line."""

    @transition(
        field=state, source=State.ISSUED, target=State.CANCELLED, permission=role_permission(*COUNTER_CANCELLERS)
    )
    def cancel(self):
        """The sale is undone before the goods leave: the reserved goods go back."""


class CounterReceiptLine(models.Model):
    receipt = models.ForeignKey(CounterReceipt, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    model = models.CharField(_("model"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=40, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    reservation = models.ForeignKey(Reservation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["receipt_id", "id"]
        verbose_name = _("counter receipt line")
        verbose_name_plural = _("counter receipt lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="counter_line_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="counter_line_price"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} · {self.item_id}"


class CounterQuestion(models.Model):
    """A question the counter could not answer (不要轻易说"不知道""没有"): the need and the customer's
    contact, with the callback follow-up of who took it."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the callback")
        ANSWERED = "answered", _("Customer called back")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("customer")
    )
    customer_name = models.CharField(_("customer's name"), max_length=80, blank=True)
    customer_contact = models.CharField(_("contact"), max_length=60)
    product = models.CharField(_("product"), max_length=120, blank=True)
    question = models.TextField(_("question"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("counter question")
        verbose_name_plural = _("counter questions")

    def __str__(self) -> str:
        return f"{self.customer_contact}: {self.question[:40]}"


class CounterReplenishment(models.Model):
    """The closing-time replenishment list (需要补货的产品明细) sent to the warehouse supervisor."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent to the warehouse supervisor")
        PROCESSED = "processed", _("Processed by the warehouse")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("counter stock")
    )
    day = models.DateField(_("day"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("replenishment request")
        verbose_name_plural = _("replenishment requests")

    def __str__(self) -> str:
        return f"{self.warehouse_id} {self.day}"


class CounterReplenishmentLine(models.Model):
    class Supply(models.TextChoices):
        WAITING = "waiting", _("Waiting for the warehouse")
        FROM_STOCK = "from_stock", _("Supplied from the warehouse")
        PURCHASING = "purchasing", _("Asked of purchasing")
        ORDERED = "ordered", _("Ordered, date expected")

    replenishment = models.ForeignKey(CounterReplenishment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    on_hand = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3)
    reorder_point = models.DecimalField(_("reorder point"), max_digits=14, decimal_places=3)
    quantity = models.DecimalField(_("quantity wanted"), max_digits=14, decimal_places=3)
    from_stock = models.DecimalField(_("from the warehouse"), max_digits=14, decimal_places=3, default=ZERO)
    supply = models.CharField(_("supply"), max_length=12, choices=Supply.choices, default=Supply.WAITING)
    purchase_request = models.ForeignKey(
        PurchaseRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    expected_on = models.DateField(_("expected on"), null=True, blank=True)

    class Meta:
        ordering = ["replenishment_id", "id"]
        verbose_name = _("replenishment line")
        verbose_name_plural = _("replenishment lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="counter_replenish_positive"),
            models.CheckConstraint(
                condition=Q(from_stock__gte=0) & Q(from_stock__lte=models.F("quantity")),
                name="counter_replenish_from_stock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.replenishment} · {self.item_id}"

    @property
    def to_purchase(self) -> Decimal:
        return self.quantity - self.from_stock
