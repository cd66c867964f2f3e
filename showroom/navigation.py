"""The side menu: groups of work, each entry shown only to the roles that can use it.

Workflow apps add their entries through ``register_menu_entry`` in ``ready()``; the core's own
entries are declared here. An entry whose URL does not resolve yet is left out.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showroom import roles
from showroom.permissions import roles_in


@dataclass(frozen=True)
class MenuEntry:
    section: str
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100


SECTIONS = [
    ("front_desk", _("Front desk")),
    ("customers", _("Customers")),
    ("leads", _("Leads")),
    ("testdrive", _("Test drives")),
    ("orders", _("Quotes & orders")),
    ("delivery", _("Deliveries")),
    ("after_sales", _("After-sales")),
    ("warehouse", _("Warehouse")),
    ("realestate", _("Real estate")),
    ("approvals", _("Approvals")),
    ("reports", _("Reports")),
]

_DECIDERS = frozenset(
    {
        roles.SHOWROOM_MANAGER,
        roles.SALES_MANAGER,
        roles.MARKETING_DIRECTOR,
        roles.GENERAL_MANAGER,
        roles.FINANCE,
        roles.SALES_SUPERVISOR,
        roles.WAREHOUSE_SUPERVISOR,
        roles.AFTER_SALES_MANAGER,
    }
)

_ENTRIES: list[MenuEntry] = [
    MenuEntry("approvals", _("Waiting for me"), "approvals:inbox", _DECIDERS, 10),
    MenuEntry("approvals", _("My requests"), "approvals:mine", frozenset(roles.ROLE_CODES), 20),
    MenuEntry(
        "customers",
        _("Customers"),
        "customers:list",
        frozenset(roles.PERSONAL_DATA_ROLES | {roles.FINANCE}),
        10,
    ),
]


_ENTRIES += [
    MenuEntry("reports", _("Dashboard"), "dashboard:home", roles.MANAGERS, 10),
    MenuEntry("reports", _("Process audits"), "dashboard:audits", roles.MANAGERS, 20),
    MenuEntry("reports", _("Monthly audit scores"), "dashboard:audit_monthly", roles.MANAGERS, 30),
]


def register_menu_entry(entry: MenuEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def menu_for(request, store) -> list[dict]:
    held = roles_in(request.user, store.pk if store else None)
    current = request.resolver_match.view_name if getattr(request, "resolver_match", None) else ""
    groups = []
    for code, title in SECTIONS:
        items = []
        for entry in sorted((e for e in _ENTRIES if e.section == code), key=lambda e: e.order):
            if not (entry.roles & held):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            active = current == entry.url_name or (
                entry.url_name.endswith(":list") and current.split(":")[0] == entry.url_name.split(":")[0]
            )
            items.append({"label": entry.label, "url": url, "active": active})
        if items:
            groups.append({"code": code, "title": title, "items": items})
    return groups
