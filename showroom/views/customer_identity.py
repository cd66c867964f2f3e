"""Pages of customer identity: ownership on the customer's page (ask for a customer, a manager's
reassignment), the possible-duplicates list with merge and dismiss, and the front desk's number
lookup that shows a returning customer's owner while the receptionist types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from showroom.models import Customer
from showroom.permissions import has_role, store_ids_for
from showroom.roles import CONSULTANT
from showroom.selectors.customers import (
    OWNERSHIP_MANAGERS,
    customer_find_by_mobile,
    customer_get,
    customer_merges,
    customer_owner_live,
    ownership_events,
)
from showroom.selectors.duplicates import customer_duplicates
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import frontdesk_may_work, store_consultants
from showroom.selectors.roster import owner_duty
from showroom.services.customer_merge import customer_duplicate_dismiss, customer_merge
from showroom.services.ownership import customer_owner_assign, customer_transfer_request
from showroom.services.transitions import TransitionConflict


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for messages_ in exc.message_dict.values() for m in messages_)
    return " ".join(exc.messages)


def _post_outcome(request, action, *, success: str, back: str):
    """Run a service for a plain form post and go back: the message says what happened (a refusal
    changed nothing); a permission refusal is a 403."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(back)


@require_POST
@login_required
def customer_transfer_request_view(request, pk):
    customer = customer_get(user=request.user, pk=pk)
    back = request.POST.get("next") or customer_detail_url(customer)
    return _post_outcome(
        request,
        lambda: customer_transfer_request(customer=customer, user=request.user, reason=request.POST.get("reason", "")),
        success=_("Your request is with the manager."),
        back=back,
    )


@require_POST
@login_required
def customer_owner_assign_view(request, pk):
    customer = customer_get(user=request.user, pk=pk)
    consultant = user_by_id(request.POST.get("consultant"))
    return _post_outcome(
        request,
        lambda: customer_owner_assign(
            customer=customer, user=request.user, consultant=consultant, reason=request.POST.get("reason", "")
        ),
        success=_("Customer reassigned."),
        back=customer_detail_url(customer),
    )


def customer_detail_url(customer: Customer) -> str:
    return reverse("customers:detail", args=[customer.pk])


@require_GET
@login_required
def customer_duplicates_view(request):
    if not store_ids_for(request.user, OWNERSHIP_MANAGERS):
        raise PermissionDenied(_("Only managers see possible duplicates."))
    store = request.store
    pairs = customer_duplicates(user=request.user, store_id=store.pk if store else None)
    return render(request, "showroom/customers/duplicates.html", {"pairs": pairs})


def _pair(request) -> tuple[Customer, Customer]:
    """The two customers of a merge or dismissal, each visible to the user, else 404."""
    first = customer_get(user=request.user, pk=request.POST.get("first"))
    second = customer_get(user=request.user, pk=request.POST.get("second"))
    return first, second


@require_POST
@login_required
def customer_merge_view(request):
    first, second = _pair(request)
    survivor, duplicate = (second, first) if request.POST.get("survivor") == str(second.pk) else (first, second)
    try:
        merge = customer_merge(
            user=request.user, survivor=survivor, duplicate=duplicate, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
        return redirect("customers:duplicates")
    except TransitionConflict as exc:
        messages.error(request, str(exc))
        return redirect("customers:duplicates")
    moved = sum(merge.moved.values())
    messages.success(
        request,
        _("%(duplicate)s merged into %(survivor)s; %(count)s records moved.")
        % {"duplicate": merge.duplicate_data.get("name"), "survivor": survivor.name, "count": moved},
    )
    return redirect("customers:detail", pk=survivor.pk)


@require_POST
@login_required
def customer_dismiss_view(request):
    first, second = _pair(request)
    try:
        customer_duplicate_dismiss(user=request.user, first=first, second=second)
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
    else:
        messages.success(request, _("Marked as two different people."))
    return redirect("customers:duplicates")


@require_GET
@login_required
def frontdesk_customer_lookup_view(request):
    """While the receptionist types a number: the store's customer with it, his owner and who
    the visitor will go to (an htmx fragment of the walk-in form)."""
    store = request.store
    if store is None or not frontdesk_may_work(user=request.user, store=store):
        raise PermissionDenied
    mobile = request.GET.get("customer_mobile", "")
    customer = customer_find_by_mobile(store=store, mobile=mobile) if len(mobile.strip()) >= 11 else None
    duty = owner_duty(store=store, customer=customer) if customer is not None else None
    context = {"customer": customer, "duty": duty, "typed": mobile.strip()}
    return render(request, "showroom/frontdesk/_customer_lookup.html", context)


def customer_ownership_context(*, request, customer: Customer) -> dict:
    """What the customer's page shows and offers about ownership."""
    user = request.user
    owner = customer_owner_live(customer=customer)
    may_manage = has_role(user, customer.store_id, OWNERSHIP_MANAGERS)
    return {
        "owner": owner,
        "may_ask": owner is not None and owner.pk != user.pk and has_role(user, customer.store_id, CONSULTANT),
        "may_reassign": may_manage,
        "consultants": list(store_consultants(store=customer.store_id)) if may_manage else [],
        "ownership_events": list(ownership_events(customer=customer)[:20]),
        "merges": list(customer_merges(customer=customer)[:10]),
    }
