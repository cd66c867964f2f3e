"""The sales manager holds and releases units (a held unit cannot be sold)."""

from __future__ import annotations

from django.db import transaction

from realestate.models import Unit
from showroom.services.transitions import transition_run


@transaction.atomic
def unit_hold(*, user, unit: Unit) -> Unit:
    def hold(obj):
        obj.holder = user

    return transition_run(instance=unit, name="hold", user=user, before_save=hold)


@transaction.atomic
def unit_release(*, user, unit: Unit) -> Unit:
    def release(obj):
        obj.holder = None

    return transition_run(instance=unit, name="release", user=user, before_save=release)
