"""Pages and API routes of the checklists engine (included by showroom/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from showroom import roles
from showroom.api.checklists import ChecklistRunViewSet, ChecklistTemplateViewSet
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.views import checklists as views

page_patterns: list = [
    path("", views.checklist_run_list_view, name="runs"),
    path("start/", views.checklist_start_view, name="start"),
    path("templates/", views.checklist_template_list_view, name="templates"),
    path("<int:pk>/", views.checklist_run_view, name="run"),
    path("<int:pk>/items/<int:item_pk>/", views.checklist_answer_view, name="answer"),
]
api_routes: list = [  # (prefix, viewset, basename) registered on the core API router
    ("checklist-templates", ChecklistTemplateViewSet, "checklist-template"),
    ("checklist-runs", ChecklistRunViewSet, "checklist-run"),
]

register_menu_entry(MenuEntry("reports", _("Checklists"), "checklists:runs", frozenset(roles.ROLE_CODES), 50))
register_menu_entry(MenuEntry("reports", _("Checklist templates"), "checklists:templates", roles.MANAGERS, 60))
