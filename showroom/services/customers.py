from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.roles import CUSTOMER_EDITORS
from showroom.selectors.customers import customer_owner_live
from showroom.selectors.frontdesk import user_label
from showroom.services.ownership import customer_owner_claim
from showroom.validators import normalize_mobile, normalize_resident_id

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
            cleaned["mobile"] = normalize_mobile(cleaned["mobile"])
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


def number_taken_message(existing: Customer) -> str:
    owner = customer_owner_live(customer=existing)
    if owner is not None:
        return _("This number belongs to %(name)s, a customer of %(owner)s.") % {
            "name": existing.name,
            "owner": user_label(owner),
        }
    return _("This number belongs to %(name)s, a customer of this store.") % {"name": existing.name}


def _check_number_free(*, store_id: int, mobile: str, exclude_pk: int | None = None) -> None:
    existing = Customer.objects.select_related("owner").filter(store_id=store_id, mobile=mobile)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    found = existing.first()
    if found is not None:
        raise ValidationError({"mobile": [number_taken_message(found)]}, code="mobile_taken")


def _save_unique(customer: Customer, **kwargs) -> None:
    """Two people registering one number at the same moment: the second gets the field error."""
    try:
        with transaction.atomic():
            customer.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError({"mobile": [_("This number was registered a moment ago.")]}) from exc


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
    _check_number_free(store_id=store.pk, mobile=cleaned["mobile"])
    customer = Customer(store=store, consent_given=True, consent_at=timezone.now(), created_by=user, **cleaned)
    customer.full_clean(validate_constraints=False)
    _save_unique(customer)
    # The consultant who registers a customer owns them (a receptionist's registration is owned
    # by the consultant who takes the walk-in).
    customer_owner_claim(customer=customer, consultant=user, by=user)
    return customer


@transaction.atomic
def customer_update(*, user, customer: Customer, **values: Any) -> Customer:
    _check_editor(user=user, store=customer.store_id)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    cleaned = _clean(values)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if "mobile" in cleaned:
        _check_number_free(store_id=customer.store_id, mobile=cleaned["mobile"], exclude_pk=customer.pk)
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.full_clean(validate_constraints=False)
    _save_unique(customer, update_fields=[*cleaned.keys(), "updated_at"])
    return customer
