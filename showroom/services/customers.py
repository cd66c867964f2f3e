from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.roles import CUSTOMER_EDITORS
from showroom.validators import normalize_cn_mobile, normalize_resident_id

EDITABLE_FIELDS = ("name", "mobile", "id_number", "gender", "source", "notes")


def _clean(values: dict[str, Any], *, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Normalise personal data and collect every field error at once."""
    errors = dict(errors or {})
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("Enter the customer's name.")]
    if "mobile" in cleaned:
        try:
            cleaned["mobile"] = normalize_cn_mobile(cleaned["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if cleaned.get("id_number"):
        try:
            cleaned["id_number"] = normalize_resident_id(cleaned["id_number"])
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_editor(*, user, store: Store) -> None:
    if not has_role(user, store, CUSTOMER_EDITORS):
        raise PermissionDenied(_("Your role in this store cannot edit customers."))


@transaction.atomic
def customer_create(
    *,
    user,
    store: Store,
    name: str,
    mobile: str,
    consent_given: bool,
    id_number: str = "",
    gender: str = "",
    source: str = Customer.Source.WALK_IN,
    notes: str = "",
) -> Customer:
    _check_editor(user=user, store=store)
    consent_error = (
        {} if consent_given else {"consent_given": [_("The customer must consent to us storing personal data.")]}
    )
    cleaned = _clean(
        {
            "name": name,
            "mobile": mobile,
            "id_number": id_number,
            "gender": gender,
            "source": source,
            "notes": notes,
        },
        errors=consent_error,
    )
    customer = Customer(store=store, consent_given=True, consent_at=timezone.now(), created_by=user, **cleaned)
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def customer_update(*, user, customer: Customer, **values: Any) -> Customer:
    _check_editor(user=user, store=customer.store_id)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    cleaned = _clean(values)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer.save(update_fields=[*cleaned.keys(), "updated_at"])
    return customer
