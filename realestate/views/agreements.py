"""The agreement and contract text versions on the set-up page: draft and send for approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate import services
from realestate.models import AgreementTemplate
from showroom.services.transitions import TransitionConflict

from .common import error_text
from .setup import _date, _project_for_setup


@login_required
@require_POST
def agreement_template_new(request, project_id: int):
    project = _project_for_setup(request, project_id)
    post = request.POST
    try:
        template = services.agreement_template_create(
            user=request.user,
            project=project,
            kind=post.get("kind", ""),
            title=post.get("title", ""),
            body=post.get("body", ""),
            effective_from=_date(post.get("effective_from", "")),
            note=post.get("note", ""),
        )
        messages.success(
            request,
            _("Draft %(kind)s version %(v)s saved: send it for approval.")
            % {"kind": template.get_kind_display(), "v": template.version},
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:setup", project.pk)


@login_required
@require_POST
def agreement_template_submit(request, project_id: int, pk: int):
    project = _project_for_setup(request, project_id)
    template = AgreementTemplate.objects.filter(project=project, pk=pk).first()
    if template is None:
        raise Http404
    try:
        services.agreement_template_submit(user=request.user, template=template)
        messages.success(request, _("Sent for approval: marketing director, then general manager."))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:setup", project.pk)
