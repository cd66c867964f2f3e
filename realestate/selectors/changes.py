"""Change requests of the user's stores (the list page, the API, the subscription's section)."""

from __future__ import annotations

from django.http import Http404

from realestate.models import ChangeRequest
from showroom.permissions import store_ids_for


def changes_for_user(*, user, state: str = "", kind: str = "", project_id=None, subscription_id=None):
    qs = ChangeRequest.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "subscription__unit__building",
        "subscription__customer",
        "project",
        "requested_by",
        "new_customer",
        "new_unit__building",
        "approval__routed_role",
    )
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if subscription_id:
        qs = qs.filter(subscription_id=subscription_id)
    return qs


def change_get_for_user(*, user, pk) -> ChangeRequest:
    change = changes_for_user(user=user).filter(pk=pk).first()
    if change is None:
        raise Http404
    return change
