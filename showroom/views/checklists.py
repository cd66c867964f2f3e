"""Checklist pages: the run page (tablet: one item a row, phase tabs, htmx answer per item), the
store's runs, and the templates for managers. Views parse input and call one service."""

import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from showroom.checklist_templates import STORE_LEVEL_CODES
from showroom.exports import list_export
from showroom.models import ChecklistItem
from showroom.permissions import store_ids_for
from showroom.roles import MANAGERS
from showroom.selectors.checklists import (
    checklist_phases,
    checklist_run_get,
    checklist_run_list,
    checklist_run_status,
    checklist_target_get,
    checklist_template_list,
    item_bounds_text,
    item_choice_options,
    number_text,
)
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.transitions import TransitionConflict
from showroom.views import list_exports  # noqa: F401  (registers the rows)

QUARTERS = [("0.25", "¼"), ("0.5", "½"), ("0.75", "¾"), ("1", "1")]


class AnswerForm(forms.Form):
    """Parses one item's answer; the rules (kind, bounds, choices, pictures) are the service's."""

    ticked = forms.ChoiceField(
        choices=[("", ""), ("1", "yes"), ("0", "no")], required=False, label=gettext_lazy("Done")
    )
    number = forms.CharField(required=False, max_length=40, label=gettext_lazy("Number"))
    choice = forms.CharField(required=False, max_length=120, label=gettext_lazy("Choice"))
    note = forms.CharField(required=False, max_length=2000, label=gettext_lazy("Note"))
    file = forms.FileField(required=False, label=gettext_lazy("Picture"))

    def answer_values(self) -> dict:
        data = self.cleaned_data
        return {
            "ticked": {"1": True, "0": False}.get(data.get("ticked") or ""),
            "number": data.get("number") or None,
            "choice": data.get("choice") or "",
            "file": data.get("file"),
            "note": data.get("note") or "",
        }


def _row_context(state, *, errors=None, submitted=None) -> dict:
    """One item row. After refused input the row shows what was typed, with the errors."""
    item = state.item
    answer = state.answer
    submitted = submitted or {}
    quick = []
    if item.kind == ChecklistItem.Kind.NUMBER and item.max_value == Decimal(1) and (item.min_value or Decimal(0)) >= 0:
        quick = QUARTERS
    return {
        "state": state,
        "item": item,
        "answer": state.answer,
        "options": item_choice_options(item) if item.kind == ChecklistItem.Kind.CHOICE else [],
        "bounds": item_bounds_text(item) if item.kind == ChecklistItem.Kind.NUMBER else "",
        "quick": quick,
        "errors": errors or {},
        "number_text": submitted.get("number", number_text(answer.number if answer else None)),
        "note_text": submitted.get("note", answer.note if answer else ""),
    }


def _page_context(run, phase: str) -> dict:
    phases = checklist_phases(run.template)
    if phase not in phases:
        phase = ""
        # Open on the first phase with something missing (the one to work on now).
        for candidate in phases:
            if not checklist_run_status(run, candidate).complete:
                phase = candidate
                break
        else:
            phase = phases[0] if phases else ""
    labels = dict(ChecklistItem.Phase.choices)
    tabs = []
    for p in phases:
        status = checklist_run_status(run, p)
        tabs.append({"phase": p, "label": labels[p], "status": status, "active": p == phase})
    overall = checklist_run_status(run)
    shown = checklist_run_status(run, phase) if phase else overall
    return {
        "run": run,
        "phase": phase,
        "tabs": tabs,
        "overall": overall,
        "percent": round(100 * overall.done / overall.required) if overall.required else 100,
        "rows": [_row_context(state) for state in shown.rows],
        "locked": run.completed_at is not None,
    }


@login_required
def checklist_run_view(request, pk):
    run = checklist_run_get(user=request.user, pk=pk)
    return render(request, "showroom/checklists/run.html", _page_context(run, request.GET.get("phase", "")))


@require_POST
@login_required
def checklist_answer_view(request, pk, item_pk):
    run = checklist_run_get(user=request.user, pk=pk)
    phase = request.POST.get("phase", "")
    form = AnswerForm(request.POST, request.FILES)
    errors: dict[str, list[str]] = {}
    conflict = ""
    if not form.is_valid():
        errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
    else:
        try:
            checklist_answer(run=run, item=item_pk, user=request.user, **form.answer_values())
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except TransitionConflict as exc:
            conflict = exc.message
        except PermissionDenied as exc:
            raise Http404 from exc
    if "item" in errors:
        raise Http404
    url = reverse("checklists:run", args=[run.pk]) + (f"?phase={phase}" if phase else "")
    if not request.headers.get("HX-Request"):
        if errors or conflict:
            text = conflict or " ".join(m for msgs in errors.values() for m in msgs)
            messages.error(request, text)
        return redirect(url)
    was_open = run.completed_at is None
    run = checklist_run_get(user=request.user, pk=pk)
    context = _page_context(run, phase)
    row = next((r for r in context["rows"] if r["item"].pk == int(item_pk)), None)
    if row is None:  # the item is on another phase's tab than the one posted
        status = checklist_run_status(run)
        state = next(s for s in status.rows if s.item.pk == int(item_pk))
        row = _row_context(state)
    if errors:
        submitted = {name: request.POST.get(name, "") for name in ("number", "note")}
        row = _row_context(row["state"], errors=errors, submitted=submitted)
    row["conflict"] = conflict
    context |= {"row": row, "oob": True}
    response = render(
        request,
        "showroom/checklists/_answer_response.html",
        context,
        status=400 if errors else (409 if conflict else 200),
    )
    if conflict:
        response["HX-Trigger"] = json.dumps({"showToast": {"message": str(conflict), "level": "danger"}})
    elif was_open and context["locked"]:
        # This answer completed the run: reload the page, which shows every row as final.
        messages.success(request, _("Checklist complete."))
        response["HX-Refresh"] = "true"
    return response


@login_required
def checklist_run_list_view(request):
    store = request.store
    state = request.GET.get("state", "")
    code = request.GET.get("template", "")
    qs = checklist_run_list(
        user=request.user,
        store_id=store.pk if store else -1,
        template_code=code,
        complete={"completed": True, "in_progress": False}.get(state),
    )
    export = list_export(request, code="checklists.runs", queryset=qs)
    if export is not None:
        return export
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    templates = list(checklist_template_list())
    return render(
        request,
        "showroom/checklists/runs.html",
        {
            "page": page,
            "state": state,
            "template_code": code,
            "templates": templates,
            "store_level": [t for t in templates if t.code in STORE_LEVEL_CODES],
        },
    )


@require_POST
@login_required
def checklist_start_view(request):
    """Start (or reopen) a run from a button on a record's page or the runs page. Without
    ``target_type`` the run is about the current store."""
    target_type = request.POST.get("target_type", "")
    object_id = request.POST.get("object_id", "")
    if not target_type:
        store = request.store
        if store is None:
            raise Http404
        target_type, object_id = "showroom.store", store.pk
    target = checklist_target_get(user=request.user, target_type=target_type, object_id=object_id)
    try:
        run = checklist_run_start(template_code=request.POST.get("template", ""), target=target, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("checklists:runs")
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("checklists:run", pk=run.pk)


@login_required
def checklist_template_list_view(request):
    if not store_ids_for(request.user, MANAGERS) and not request.user.is_superuser:
        raise PermissionDenied
    labels = dict(ChecklistItem.Phase.choices)
    kinds = dict(ChecklistItem.Kind.choices)
    templates = []
    for template in checklist_template_list():
        items = [
            {
                "item": item,
                "phase": labels.get(item.phase, "") if item.phase else "",
                "kind": kinds.get(item.kind, item.kind),
                "bounds": item_bounds_text(item),
                "options": ", ".join(label for _v, label in item_choice_options(item)),
            }
            for item in template.items.all()
        ]
        templates.append({"template": template, "items": items})
    return render(request, "showroom/checklists/templates.html", {"templates": templates})
