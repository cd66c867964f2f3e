"""What a customer merge means for leads: a customer has at most one open lead, so when both the
surviving and the merged customer have one, the merged customer's lead goes dormant (its history
kept, and it can be reactivated) and the surviving customer's lead carries on."""

from __future__ import annotations

from django.utils.translation import gettext as _

from leads.models import RUN_CUSTOMER_MERGE, Lead
from leads.services.lifecycle import _set_run
from showroom.models import Customer
from showroom.services.transitions import transition_run


def leads_customer_merge(*, survivor: Customer, duplicate: Customer, user) -> None:
    kept = Lead.objects.filter(customer=survivor, state__in=Lead.OPEN_STATES).first()
    if kept is None:
        return
    for lead in Lead.objects.select_for_update(of=("self",)).filter(customer=duplicate, state__in=Lead.OPEN_STATES):
        _set_run(lead, RUN_CUSTOMER_MERGE)
        note = _("Customer merged into %(name)s (#%(pk)s); lead #%(lead)s carries on.") % {
            "name": survivor.name,
            "pk": survivor.pk,
            "lead": kept.pk,
        }
        transition_run(instance=lead, name="sleep", user=user, note=note, lock=False)
