"""The counter staff's part of the jewellery day (article 4): clocking in (一、8.30前打卡), the
grooming self-check scored by the duty manager (三、自检, 纳入《月度绩效考核制度》值班经理每日打分),
and the registration form of a first-time trade customer (让顾客填写客户登记单。资料必须齐全)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import ChecklistItem, Store
from showroom.permissions import has_role
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.transitions import TransitionConflict
from showroom.validators import normalize_mobile, normalize_resident_id
from warehouse.models import Attendance, GroomingCheck, TradeCustomerRegistration
from warehouse.models.jewellery import COUNTER_STAFF, DUTY_MANAGERS
from warehouse.services._common import require_role

GROOMING_CHECKLIST = "staff.grooming"


def counter_time(name: str) -> dt.time:
    """A time of article 4's day, overridable per installation in ``WAREHOUSE_COUNTER_TIMES``:
    clock_in 08:30, meeting 08:35, goods_out 08:45, doors_open 09:00, closing 17:30."""
    defaults = {
        "clock_in": "08:30",
        "meeting": "08:35",
        "goods_out": "08:45",
        "doors_open": "09:00",
        "closing": "17:30",
    }
    value = {**defaults, **getattr(settings, "WAREHOUSE_COUNTER_TIMES", {})}[name]
    return dt.time.fromisoformat(value)


@transaction.atomic
def attendance_clock_in(*, user, store: Store, at: dt.datetime | None = None) -> Attendance:
    """Clock in once a day. 8.30前打卡: a clock-in after 08:30 local time is flagged late (08:30
    itself is on time: the minute shown on the clock is what people read)."""
    require_role(user=user, store_id=store.pk, roles=COUNTER_STAFF)
    local = timezone.localtime(at or timezone.now())
    limit = counter_time("clock_in")
    late = local.time().replace(second=0, microsecond=0) > limit
    try:
        with transaction.atomic():
            return Attendance.objects.create(store=store, user=user, date=local.date(), clocked_in_at=local, late=late)
    except IntegrityError as exc:
        raise TransitionConflict(_("You have already clocked in today."), state="clocked_in") from exc


@transaction.atomic
def grooming_score_record(
    *, user, store: Store, person, passed_items: list[int], date: dt.date | None = None
) -> GroomingCheck:
    """The duty manager scores one person's self-check of the day: each item of the core
    checklist ``staff.grooming`` (面容, 口腔, 头发, 工服, 工牌, 指甲, 鞋) passed or not; the score is
    the items passed. The answers are kept in a checklist run on the check; once a day."""
    require_role(user=user, store_id=store.pk, roles=DUTY_MANAGERS)
    if not has_role(person, store.pk, COUNTER_STAFF):
        raise ValidationError({"person": [_("This person does not work at a counter of this store.")]})
    date = date or timezone.localdate()
    items = list(ChecklistItem.objects.filter(template__code=GROOMING_CHECKLIST).order_by("order"))
    if not items:
        raise ValidationError({"passed_items": [_("The grooming checklist is missing from the reference data.")]})
    known = {item.pk for item in items}
    passed = {int(pk) for pk in passed_items or []}
    if passed - known:
        raise ValidationError({"passed_items": [_("Choose items of the grooming checklist.")]})
    if GroomingCheck.objects.filter(store=store, person=person, date=date).exists():
        raise TransitionConflict(_("This person's self-check is already scored for the day."), state="scored")
    check = GroomingCheck.objects.create(
        store=store, person=person, date=date, scored_by=user, score=len(passed), max_score=len(items)
    )
    run = checklist_run_start(template_code=GROOMING_CHECKLIST, target=check, store=store, user=user)
    for item in items:
        checklist_answer(run=run, item=item, user=user, ticked=item.pk in passed)
    GroomingCheck.objects.filter(pk=check.pk).update(run=run)
    check.run = run
    return check


REGISTRATION_FIELDS = ("company", "contact", "mobile", "id_number", "address", "licence_number")


@transaction.atomic
def trade_customer_register(
    *,
    user,
    store: Store,
    company: str,
    contact: str,
    mobile: str,
    id_number: str,
    address: str,
    licence_number: str,
) -> TradeCustomerRegistration:
    """客户登记单 of a first-time trade customer: 资料必须齐全, every field is required."""
    require_role(user=user, store_id=store.pk, roles=COUNTER_STAFF)
    values = {
        "company": company,
        "contact": contact,
        "mobile": mobile,
        "id_number": id_number,
        "address": address,
        "licence_number": licence_number,
    }
    values = {key: (value or "").strip() for key, value in values.items()}
    errors: dict[str, list[str]] = {
        key: [_("The registration form must be complete: fill this in.")] for key, value in values.items() if not value
    }
    if values["mobile"]:
        try:
            values["mobile"] = normalize_mobile(values["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if values["id_number"]:
        try:
            values["id_number"] = normalize_resident_id(values["id_number"])
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if TradeCustomerRegistration.objects.filter(store=store, mobile=values["mobile"]).exists():
        raise ValidationError({"mobile": [_("This customer is already registered.")]})
    return TradeCustomerRegistration.objects.create(store=store, created_by=user, **values)
