"""Merge a duplicate customer into the surviving one: every record moves, nothing is lost.

The core does not know the apps' models, so it moves by introspection: every foreign key to
``Customer`` (leads, visits, test drives, quotes, subscriptions, whatever an app adds later) and
every generic relation (follow-ups, documents, approvals, checklists, state logs) is repointed.
Apps whose own rules would refuse the result (only one open lead per customer) register a hook
that settles it first. The duplicate is then deleted; its foreign keys are PROTECT, so a record
the merge missed makes the delete fail and the whole merge roll back rather than lose it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Customer, CustomerMerge, DuplicateDismissal, OwnershipEvent
from showroom.permissions import has_role
from showroom.registry import customer_merge_hooks
from showroom.selectors.customers import OWNERSHIP_MANAGERS, customer_owner_live
from showroom.services.transitions import TransitionConflict
from showroom.validators import national_mobile

# Rows about the pair itself: they go with the duplicate (dismissals) or are the merge's own record.
_NOT_MOVED = {(DuplicateDismissal, "first"), (DuplicateDismissal, "second")}
SNAPSHOT_FIELDS = ("name", "mobile", "id_number", "gender", "source", "notes", "owner_id", "created_by_id")


def _check(*, user, survivor: Customer, duplicate: Customer, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if survivor.pk == duplicate.pk:
        errors["duplicate"] = [_("Choose two different customers.")]
    elif survivor.store_id != duplicate.store_id:
        errors["duplicate"] = [_("Customers of different stores are kept apart and cannot be merged.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why these two are one person.")]
    for customer in (survivor, duplicate):
        if not has_role(user, customer.store_id, OWNERSHIP_MANAGERS):
            raise PermissionDenied(_("Only a manager of the customer's store may merge customers."))
    if errors:
        raise ValidationError(errors)


def _move_foreign_keys(*, survivor: Customer, duplicate: Customer, moved: dict[str, int]) -> None:
    for relation in Customer._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model, name = relation.related_model, relation.field.name
        if (model, name) in _NOT_MOVED or model is CustomerMerge:
            continue
        rows = model._base_manager.filter(**{name: duplicate})
        if relation.one_to_one and model._base_manager.filter(**{name: survivor}).exists() and rows.exists():
            raise TransitionConflict(
                _("Both customers have a %(record)s and a customer has only one; settle it before merging.")
                % {"record": model._meta.verbose_name}
            )
        count = rows.update(**{name: survivor})
        if count:
            moved[model._meta.label] = moved.get(model._meta.label, 0) + count
    earlier = CustomerMerge.objects.filter(survivor=duplicate).update(survivor=survivor)
    if earlier:
        moved[CustomerMerge._meta.label] = earlier


def _move_generic_relations(*, survivor: Customer, duplicate: Customer, moved: dict[str, int]) -> None:
    content_type = ContentType.objects.get_for_model(Customer)
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if not isinstance(field, GenericForeignKey):
                continue
            object_field = model._meta.get_field(field.fk_field)
            value = str(duplicate.pk) if isinstance(object_field, models.CharField) else duplicate.pk
            count = model._base_manager.filter(**{field.ct_field: content_type, field.fk_field: value}).update(
                **{field.fk_field: type(value)(survivor.pk)}
            )
            if count:
                moved[model._meta.label] = moved.get(model._meta.label, 0) + count


def _combine(*, survivor: Customer, duplicate: Customer, now) -> None:
    """The survivor keeps its own data and takes what it lacks from the duplicate; the duplicate's
    number is kept in the notes so it still reads in the record."""
    for name in ("id_number", "gender"):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    line = _("Merged from customer #%(pk)s %(name)s, mobile %(mobile)s.") % {
        "pk": duplicate.pk,
        "name": duplicate.name,
        "mobile": national_mobile(duplicate.mobile),
    }
    survivor.notes = "\n".join(part for part in (survivor.notes, duplicate.notes, line) if part)
    if duplicate.consent_at and (survivor.consent_at is None or duplicate.consent_at < survivor.consent_at):
        survivor.consent_at = duplicate.consent_at
    if duplicate.last_contact_at and (
        survivor.last_contact_at is None or duplicate.last_contact_at > survivor.last_contact_at
    ):
        survivor.last_contact_at = duplicate.last_contact_at
    if customer_owner_live(customer=survivor, now=now) is None and customer_owner_live(customer=duplicate, now=now):
        survivor.owner_id, survivor.owned_until = duplicate.owner_id, duplicate.owned_until


@transaction.atomic
def customer_merge(*, user, survivor: Customer, duplicate: Customer, reason: str) -> CustomerMerge:
    """Move everything of ``duplicate`` to ``survivor`` and delete the duplicate; logged with what
    the duplicate was and how many records of each kind moved."""
    _check(user=user, survivor=survivor, duplicate=duplicate, reason=reason)
    locked = {
        c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk]).order_by("pk")
    }
    if len(locked) != 2:
        raise TransitionConflict(_("One of the customers no longer exists; it may have been merged already."))
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    now = timezone.now()
    duplicate_pk = duplicate.pk  # Django clears it on delete
    snapshot = {name: getattr(duplicate, name) for name in SNAPSHOT_FIELDS}
    snapshot["created_at"] = duplicate.created_at.isoformat()
    snapshot["owned_until"] = duplicate.owned_until.isoformat() if duplicate.owned_until else None

    for hook in customer_merge_hooks():
        hook(survivor=survivor, duplicate=duplicate, user=user)
    moved: dict[str, int] = {}
    _move_foreign_keys(survivor=survivor, duplicate=duplicate, moved=moved)
    _move_generic_relations(survivor=survivor, duplicate=duplicate, moved=moved)
    _combine(survivor=survivor, duplicate=duplicate, now=now)
    try:
        with transaction.atomic():
            duplicate.delete()
    except (IntegrityError, models.ProtectedError) as exc:  # a record the merge did not move
        raise TransitionConflict(_("A record of the duplicate could not be moved; nothing was merged.")) from exc
    survivor.save()
    merge = CustomerMerge.objects.create(
        store_id=survivor.store_id,
        survivor=survivor,
        duplicate_id=duplicate_pk,
        duplicate_data=snapshot,
        moved=moved,
        reason=reason.strip(),
        by=user,
    )
    OwnershipEvent.objects.create(
        customer=survivor,
        kind=OwnershipEvent.Kind.MERGED,
        from_user_id=snapshot["owner_id"],
        to_user_id=survivor.owner_id,
        by=user,
        note=reason.strip(),
        at=now,
    )
    return merge


@transaction.atomic
def customer_duplicate_dismiss(*, user, first: Customer, second: Customer) -> DuplicateDismissal:
    """Two customers the list found alike are two people: the pair leaves the list."""
    if first.store_id != second.store_id or first.pk == second.pk:
        raise ValidationError({"second": [_("Choose two different customers of one store.")]})
    if not has_role(user, first.store_id, OWNERSHIP_MANAGERS):
        raise PermissionDenied(_("Only a manager of the customer's store may do this."))
    low, high = sorted((first, second), key=lambda c: c.pk)
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first=low, second=high, defaults={"store_id": low.store_id, "by": user}
    )
    return dismissal
