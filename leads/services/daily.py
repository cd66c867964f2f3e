"""The closing-time check: the leads each consultant touched today without recording the contact,
sent to the showroom manager."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from leads.selectors import leads_unrecorded_contacts
from leads.services._common import first_holders, in_site_language, notify, person
from showroom.models import Store
from showroom.selectors.followups import followup_manager_roles


def leads_unrecorded_contacts_notify(*, store: Store, day: dt.date) -> int:
    """The scheduled job at the store's closing time: one notice to the showroom manager (else the
    next manager up) listing, per consultant, the leads touched today without a contact recorded
    today. Nothing is sent when every touched lead has its record. Returns the leads listed."""
    groups = leads_unrecorded_contacts(store_id=store.pk, day=day)
    total = sum(len(group.leads) for group in groups)
    if not total:
        return 0
    managers = first_holders(store_id=store.pk, roles=followup_manager_roles(store))
    with in_site_language():
        title = _("%(n)s leads touched today without a recorded contact") % {"n": total}
        lines = []
        for group in groups:
            names = ", ".join(f"{item.lead.customer.name} ({', '.join(item.touch_labels)})" for item in group.leads)
            lines.append(f"{person(group.consultant)}: {len(group.leads)} — {names}")
        body = "\n".join(lines)
    url = f"{reverse('leads:unrecorded')}?day={day.isoformat()}"
    for manager in managers:
        notify(user=manager, key=f"leads:unrecorded:{store.pk}:{day.isoformat()}", title=title, body=body, url=url)
    return total
