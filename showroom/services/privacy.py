"""Personal data: the reveal log, a customer's data export, and erasure on request.

Relations are found by introspection, as the customer merge finds them: every foreign key to
``Customer`` and every generic relation pointing at one, in whatever app, plus the records that
belong to those (a lead's contacts, a quote's lines). An app that adds a model linked to the
customer is exported and erased without a change here.

Erasure is refused while the customer has an open record (a record with a state machine whose
state still has a way forward other than a revival: a live lead, an unpaid order, a subscription
being signed, a pending approval). A real
showroom cannot forget the buyer of a running sale; once every record is closed, the personal
fields are anonymised, the records stay (accounts and contracts must be kept for years) and
every text about the customer in those records and their logs reads the pseudonym instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from showroom.models import Customer, CustomerMerge, PersonalDataAccess
from showroom.permissions import has_role
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.selectors.customers import OWNERSHIP_MANAGERS
from showroom.services.transitions import TransitionConflict
from showroom.validators import national_mobile

#: Who may export or erase a customer's data: a manager who may also read it in full.
PRIVACY_OFFICERS = OWNERSHIP_MANAGERS & PERSONAL_DATA_ROLES
PERSONAL_FIELDS = ("name", "mobile", "id_number", "notes")
_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def customer_pseudonym(*, customer: Customer) -> str:
    """A stable reference that names no one: the same customer always gets the same one, and only
    the server's secret links it back to the row."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"customer:{customer.pk}".encode(), hashlib.sha256)
    return f"C-{digest.hexdigest()[:10]}"


def personal_data_reveal_log(
    *, user, customer: Customer, channel: str, fields: Iterable[str] = ("mobile", "id_number")
) -> PersonalDataAccess:
    """Record that ``user`` was shown the customer's full number(s): who, when, which record."""
    return PersonalDataAccess.objects.create(
        user=user,
        store_id=customer.store_id,
        customer=customer,
        customer_ref=customer_pseudonym(customer=customer),
        action=PersonalDataAccess.Action.REVEAL,
        channel=channel,
        fields=",".join(fields),
    )


# --- what is linked to a customer ---------------------------------------------------------------
def _direct_rows(customer: Customer) -> list[models.Model]:
    rows: list[models.Model] = []
    for relation in Customer._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        if relation.related_model is PersonalDataAccess:
            continue
        rows += list(relation.related_model._base_manager.filter(**{relation.field.name: customer}))
    content_type = ContentType.objects.get_for_model(Customer)
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                object_field = model._meta.get_field(field.fk_field)
                value = str(customer.pk) if isinstance(object_field, models.CharField) else customer.pk
                rows += list(model._base_manager.filter(**{field.ct_field: content_type, field.fk_field: value}))
    return rows


def _child_rows(parents: list[models.Model]) -> list[models.Model]:
    """Records that belong to the customer's records (cascade children: lines, contacts, answers)."""
    by_model: dict[type[models.Model], list[int]] = {}
    for row in parents:
        by_model.setdefault(type(row), []).append(row.pk)
    rows: list[models.Model] = []
    for model, pks in by_model.items():
        for relation in model._meta.related_objects:
            if relation.many_to_many or not relation.field.concrete:
                continue
            if relation.on_delete is not models.CASCADE:
                continue
            rows += list(relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks}))
    return rows


def customer_linked_records(*, customer: Customer) -> list[models.Model]:
    direct = _direct_rows(customer)
    seen = {(type(r), r.pk) for r in direct}
    children = [r for r in _child_rows(direct) if (type(r), r.pk) not in seen]
    return direct + children


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _row(instance: models.Model) -> dict:
    return {f.attname: _value(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def customer_data_export(*, user, customer: Customer, channel: str = "page") -> dict[str, list[dict]]:
    """Everything stored about the customer, by model label; the export itself is logged."""
    if not has_role(user, customer.store_id, PRIVACY_OFFICERS):
        raise PermissionDenied(_("Only a manager of the customer's store may export a customer's data."))
    data: dict[str, list[dict]] = {Customer._meta.label: [_row(customer)]}
    for record in customer_linked_records(customer=customer):
        data.setdefault(record._meta.label, []).append(_row(record))
    PersonalDataAccess.objects.create(
        user=user,
        store_id=customer.store_id,
        customer=customer,
        customer_ref=customer_pseudonym(customer=customer),
        action=PersonalDataAccess.Action.EXPORT,
        channel=channel,
        fields="all",
    )
    return data


def customer_data_xlsx(*, data: dict[str, list[dict]]) -> bytes:
    """The export as a workbook: one sheet per model, one row per record."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for label, rows in data.items():
        sheet = book.create_sheet(label.replace(".", " ")[:31])
        headers = list(rows[0]) if rows else []
        sheet.append(headers)
        for row in rows:
            sheet.append([v if isinstance(v, str | int | float | bool | type(None)) else str(v) for v in row.values()])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- erasure ----------------------------------------------------------------------------------
# Bringing a closed record back to life is not a way forward of the sale itself: a lost lead can be
# reactivated, yet nothing is running while it is lost.
_REVIVALS = ("reactivate", "reopen", "restore")


def _open(record: models.Model) -> bool:
    from django_fsm import FSMFieldMixin

    for field in record._meta.concrete_fields:
        if not isinstance(field, FSMFieldMixin):
            continue
        state = getattr(record, field.attname)
        for transition in field.get_all_transitions(type(record)):
            if transition.name in _REVIVALS:
                continue
            if transition.source in ("*", "+") or transition.source == state:
                return True
    return False


def customer_open_records(*, customer: Customer) -> list[str]:
    return sorted(f"{record._meta.verbose_name} #{record.pk}" for record in _direct_rows(customer) if _open(record))


def _scrub(value, needles: list[str], pseudonym: str):
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, pseudonym)
        return value
    if value is None:
        return value
    dumped = json.dumps(value, ensure_ascii=False)
    for needle in needles:
        dumped = dumped.replace(json.dumps(needle, ensure_ascii=False)[1:-1], pseudonym)
    return json.loads(dumped)


def _state_logs(records: list[models.Model]) -> list[models.Model]:
    try:
        StateLog = apps.get_model("django_fsm_log", "StateLog")
    except LookupError:
        return []
    rows: list[models.Model] = []
    by_model: dict[type[models.Model], list[str]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(str(record.pk))
    for model, pks in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        rows += list(StateLog.objects.filter(content_type=content_type, object_id__in=pks))
    return rows


@transaction.atomic
def customer_erase(*, user, customer: Customer, reason: str) -> str:
    """Anonymise the customer and every text about him in his records and their logs; returns the
    pseudonym. Refused (409) while a record of his is open."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if not has_role(user, customer.store_id, PRIVACY_OFFICERS):
        raise PermissionDenied(_("Only a manager of the customer's store may erase a customer's data."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say on whose request and why the data is erased.")]})
    pseudonym = customer_pseudonym(customer=customer)
    if customer.mobile.startswith("erased:"):
        raise TransitionConflict(_("This customer's data has already been erased."))
    missing = customer_open_records(customer=customer)
    if missing:
        raise TransitionConflict(
            _("The customer still has open records; close or cancel them before erasing the data."), missing=missing
        )
    needles = [
        n
        for n in {customer.name, customer.mobile, national_mobile(customer.mobile), customer.id_number}
        if n and len(n) >= 2
    ]
    records = customer_linked_records(customer=customer)
    merges = list(CustomerMerge.objects.filter(survivor=customer))
    for record in [*records, *merges, *_state_logs(records)]:
        changed = []
        for field in record._meta.concrete_fields:
            if isinstance(field, _TEXT_FIELDS) and not field.choices and not field.primary_key:
                old = getattr(record, field.attname)
                new = _scrub(old, needles, pseudonym)
                if new != old:
                    setattr(record, field.attname, new)
                    changed.append(field.attname)
        if changed:
            type(record)._base_manager.filter(pk=record.pk).update(**{f: getattr(record, f) for f in changed})
    customer.name = pseudonym
    customer.mobile = f"erased:{pseudonym}"
    customer.id_number = ""
    customer.notes = ""
    customer.gender = ""
    Customer.objects.filter(pk=customer.pk).update(
        name=customer.name, mobile=customer.mobile, id_number="", notes="", gender=""
    )
    PersonalDataAccess.objects.filter(customer=customer).update(customer_ref=pseudonym)
    PersonalDataAccess.objects.create(
        user=user,
        store_id=customer.store_id,
        customer=customer,
        customer_ref=pseudonym,
        action=PersonalDataAccess.Action.ERASE,
        channel=PersonalDataAccess.Channel.PAGE,
        fields=",".join(PERSONAL_FIELDS),
    )
    return pseudonym
