# ruff: noqa: F401, F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Fixtures of the delivery tests: store A's ready order (GL8, VIN1 reserved) whose delivery the
signal opened, helpers to answer the delivery checklists, and repair-desk data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from delivery.models import Delivery
from leads.services.orders import order_allocate, order_deposit_take, order_invoice, order_make_ready, order_pay
from leads.services.quotes import quote_accept, quote_create, quote_send
from showroom.models import ChecklistItem
from showroom.services.checklists import checklist_answer, checklist_run_start
from tests.leads.quotes_fixtures import VIN1, VIN2, shop, today


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def signature_png() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("signature.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def ready_order(personas, shop):
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc, invoice_date=today())
    order = quote_accept(quote=quote_send(quote=quote, user=personas.consultant), user=personas.consultant)
    order_deposit_take(order=order, user=personas.consultant, method="transfer")
    order = order_allocate(order=order, user=personas.consultant, vin=VIN1)
    order = order_invoice(order=order, user=personas.finance, invoice_number="FP001")
    order = order_pay(order=order, user=personas.cashier, method="transfer", amount=order.balance)
    return order_make_ready(order=order, user=personas.consultant)


@pytest.fixture
def delivery(ready_order):
    return Delivery.objects.get(order=ready_order)


def answer_all(delivery, user, template_code, *, phases=None, skip=()):
    """Answer every item of the template (of ``phases``), except the item orders in ``skip``."""
    run = checklist_run_start(template_code=template_code, target=delivery, user=user)
    items = ChecklistItem.objects.filter(template__code=template_code).order_by("order")
    for item in items:
        if item.order in skip or (phases is not None and item.phase not in phases):
            continue
        if item.kind == "tick":
            checklist_answer(run=run, item=item, user=user, ticked=True)
        elif item.kind == "number":
            checklist_answer(run=run, item=item, user=user, number="0.5")
        elif item.kind == "choice":
            checklist_answer(run=run, item=item, user=user, choice=item.choices[0]["value"])
        else:
            checklist_answer(run=run, item=item, user=user, file=signature_png())
    return run


def soon(days=2, hour=15) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def arrived(personas, delivery):
    from delivery.services import delivery_arrive, delivery_prepare, delivery_schedule

    delivery_schedule(delivery=delivery, user=personas.consultant, at=soon(), bay="交车区 1")
    answer_all(delivery, personas.consultant, "delivery.pre_delivery")
    delivery_prepare(delivery=delivery, user=personas.consultant)
    return delivery_arrive(delivery=delivery, user=personas.consultant)
