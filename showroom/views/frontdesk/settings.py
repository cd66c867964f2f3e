"""The store's front-desk settings (posted from the roster page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from showroom.permissions import has_role
from showroom.selectors.frontdesk import DISTRIBUTION_EDITORS, frontdesk_may_manage, local_today
from showroom.services.frontdesk import frontdesk_settings_update
from showroom.views.frontdesk.common import _current_store, add_service_errors
from showroom.views.frontdesk.forms import SettingsForm
from showroom.views.frontdesk.roster import _roster_context


@require_POST
@login_required
def settings_view(request):
    store = _current_store(request)
    form = SettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            frontdesk_settings_update(
                store=store,
                user=request.user,
                shift_minutes=data["shift_minutes"],
                overdue_skip_hours=data["overdue_skip_hours"],
                distribution_rule=(
                    data["distribution_rule"] or None if has_role(request.user, store, DISTRIBUTION_EDITORS) else None
                ),
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Front-desk settings saved."))
            return redirect("frontdesk:roster")
    if not frontdesk_may_manage(user=request.user, store=store):
        raise PermissionDenied
    context = _roster_context(request, store, local_today(), settings_form=form)
    return render(request, "showroom/frontdesk/roster.html", context, status=400)
