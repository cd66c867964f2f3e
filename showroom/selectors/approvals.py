import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from showroom.models import ApprovalRequest, Role
from showroom.permissions import _roles_by_store, store_ids_for


def _base() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.select_related("store", "requester", "routed_role", "content_type")


def approval_inbox(
    *, user, kind: str = "", store_id: int | None = None, older_than_days: int | None = None
) -> QuerySet[ApprovalRequest]:
    """Pending requests routed to a role the user holds in the request's store, not his own."""
    if user.is_superuser:
        condition = Q(store_id__in=store_ids_for(user))
    else:
        condition = Q(pk__in=[])
        roles = dict(_roles_by_store(user))
        codes = {code for held in roles.values() for code in held}
        role_ids = dict(Role.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
        for sid, held in roles.items():
            ids = [role_ids[c] for c in held if c in role_ids]
            if ids:
                condition |= Q(store_id=sid, routed_role_id__in=ids)
    qs = _base().filter(condition, state=ApprovalRequest.State.PENDING).exclude(requester=user)
    if kind:
        qs = qs.filter(kind=kind)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if older_than_days:
        qs = qs.filter(created_at__lte=timezone.now() - dt.timedelta(days=older_than_days))
    return qs.order_by("created_at", "id")


def approval_my_requests(*, user, state: str = "", kind: str = "") -> QuerySet[ApprovalRequest]:
    qs = _base().filter(requester=user, store_id__in=store_ids_for(user))
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def approval_visible(*, user) -> QuerySet[ApprovalRequest]:
    return _base().filter(store_id__in=store_ids_for(user))


def approval_get(*, user, pk) -> ApprovalRequest:
    try:
        return approval_visible(user=user).prefetch_related("decisions__decider", "decisions__role").get(pk=int(pk))
    except (ApprovalRequest.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def approvals_for(*, target) -> QuerySet[ApprovalRequest]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target)
    return (
        _base().filter(content_type=ct, object_id=target.pk).prefetch_related("decisions__decider", "decisions__role")
    )
