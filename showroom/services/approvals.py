"""Approvals under one authority matrix.

A request is routed to the lowest-ranked role whose rule at the current step covers the value.
A decider decides as the lowest of his roles in the store whose rule covers the value; with no
such role he is refused (403) and may escalate the request to the next level. Quotas limit the
share of a population (from the kind's registered counter) approved at a level:

    share = (approved at this level + this one) / max(population, floor)

The requester never decides his own request. The kind's registered handler runs inside the
approving transaction, so its failure rolls the approval back.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.approval_kinds import kind_label, kind_unit, kinds_in_quota_group, quota_group
from showroom.models import ApprovalDecision, ApprovalRequest, AuthorityRule, Role, Store
from showroom.permissions import roles_in
from showroom.registry import approval_kind
from showroom.services.transitions import TransitionConflict, transition_run

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QuotaCheck:
    quota: Decimal
    counted: int
    population: int
    share: Decimal

    @property
    def exceeded(self) -> bool:
        return self.share > self.quota


def rules_for(*, kind: str, step: int, store_id: int) -> list[AuthorityRule]:
    """The rules of one step, store-specific ones replacing the general rule for the same role,
    ordered from the lowest authority up."""
    rows = list(
        AuthorityRule.objects.filter(kind=kind, step=step, is_active=True)
        .filter(Q(store_id=store_id) | Q(store__isnull=True))
        .select_related("role")
    )
    by_role: dict[int, AuthorityRule] = {}
    for rule in rows:
        current = by_role.get(rule.role_id)
        if current is None or (current.store_id is None and rule.store_id is not None):
            by_role[rule.role_id] = rule
    return sorted(by_role.values(), key=lambda r: (r.role.rank, r.limit is None, r.limit or 0))


def _covers(rule: AuthorityRule, value: Decimal) -> bool:
    return rule.limit is None or value <= rule.limit


def _steps_total(kind: str) -> int:
    return AuthorityRule.objects.filter(kind=kind, is_active=True).aggregate(m=models.Max("step"))["m"] or 0


def _route(*, kind: str, step: int, store_id: int, value: Decimal, above_rank: int = -1) -> AuthorityRule | None:
    for rule in rules_for(kind=kind, step=step, store_id=store_id):
        if rule.role.rank > above_rank and _covers(rule, value):
            return rule
    return None


def approval_user_may_decide(*, request: ApprovalRequest, user) -> bool:
    """The transition permission: the user holds a role with a rule at this step (any limit) and
    is not the requester."""
    if user is None or not user.is_authenticated or user.pk == request.requester_id:
        return False
    held = roles_in(user, request.store_id)
    return any(
        rule.role.code in held for rule in rules_for(kind=request.kind, step=request.step, store_id=request.store_id)
    )


def _deciding_rule(*, request: ApprovalRequest, user) -> AuthorityRule:
    held = roles_in(user, request.store_id)
    mine = [
        r for r in rules_for(kind=request.kind, step=request.step, store_id=request.store_id) if r.role.code in held
    ]
    covering = [r for r in mine if _covers(r, request.value)]
    if covering:
        # Decide as the routed role when held, else as the lowest covering role.
        for rule in covering:
            if rule.role_id == request.routed_role_id:
                return rule
        return covering[0]
    if mine:
        raise PermissionDenied(
            _("The value %(value)s is above your limit of %(limit)s for this request; escalate it to the next level.")
            % {
                "value": format_value(request.value, request.unit),
                "limit": format_value(mine[-1].limit, request.unit),
            }
        )
    raise PermissionDenied(_("Your role cannot decide this request."))


def format_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "∞"
    text = f"{value.normalize():f}"
    return {"percent": f"{text}%", "amount": f"¥{value:,.2f}", "days": _("%(n)s days") % {"n": text}}.get(unit, text)


def quota_check(*, request: ApprovalRequest, rule: AuthorityRule) -> QuotaCheck | None:
    if rule.quota is None:
        return None
    kind = approval_kind(request.kind)
    if kind is None or kind.quota_counter is None:
        raise TransitionConflict(_("This request has a quota but nothing counts its population."))
    population = int(kind.quota_counter(request=request))
    kinds = kinds_in_quota_group(quota_group(request.kind))
    approved = ApprovalDecision.objects.filter(
        decision=ApprovalDecision.Decision.APPROVED,
        request__state=ApprovalRequest.State.APPROVED,
        request__kind__in=kinds,
        request__quota_scope=request.quota_scope,
        request__store_id=request.store_id,
    )
    if rule.quota_counts == AuthorityRule.QuotaCounts.LEVEL:
        approved = approved.filter(role_id=rule.role_id)
    counted = approved.values("request_id").distinct().count()
    floor = int(settings.SHOWROOM["QUOTA_FLOOR"])
    share = (Decimal(counted + 1) / Decimal(max(population, floor)) * HUNDRED).quantize(Decimal("0.01"))
    return QuotaCheck(quota=rule.quota, counted=counted, population=population, share=share)


@transaction.atomic
def approval_request_create(
    *,
    target: models.Model,
    kind: str,
    store: Store,
    requester,
    reason: str,
    value: Decimal | int | str = 0,
    quota_scope: str = "",
    payload: dict | None = None,
) -> ApprovalRequest:
    """File a request and route it to the lowest level whose limit covers the value."""
    value = Decimal(str(value))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give a reason for the request.")]
    if value < 0:
        errors["value"] = [_("The value cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    steps_total = _steps_total(kind)
    if steps_total == 0:
        raise ValidationError({"kind": [_("No authority rule exists for this kind of request.")]})
    rule = _route(kind=kind, step=1, store_id=store.pk, value=value)
    if rule is None:
        raise ValidationError(
            {
                "value": [
                    _("%(value)s is above every approval limit for %(kind)s; it cannot be requested.")
                    % {"value": format_value(value, kind_unit(kind)), "kind": kind_label(kind)}
                ]
            }
        )
    return ApprovalRequest.objects.create(
        store=store,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_label=str(target)[:200],
        value=value,
        unit=kind_unit(kind),
        reason=reason.strip(),
        requester=requester,
        step=1,
        steps_total=steps_total,
        routed_role=rule.role,
        quota_scope=quota_scope,
        payload=payload or {},
    )


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def approval_approve(*, request: ApprovalRequest, user, note: str = "") -> ApprovalRequest:
    request = _lock(request)
    if request.state != ApprovalRequest.State.PENDING:
        raise TransitionConflict(_("This request has already been decided."), state=request.state)
    if user.pk == request.requester_id:
        raise PermissionDenied(_("You cannot decide your own request."))
    rule = _deciding_rule(request=request, user=user)
    check = quota_check(request=request, rule=rule)
    if check is not None and check.exceeded:
        raise TransitionConflict(
            _(
                "The quota at this level is %(quota)s%% of %(population)s; %(count)s already approved, "
                "so this one would make %(share)s%%. Escalate it to the next level."
            )
            % {
                "quota": f"{check.quota.normalize():f}",
                "population": max(check.population, settings.SHOWROOM["QUOTA_FLOOR"]),
                "count": check.counted,
                "share": f"{check.share.normalize():f}",
            },
            state=request.state,
        )
    final = request.step >= request.steps_total
    ApprovalDecision.objects.create(
        request=request,
        step=request.step,
        role=rule.role,
        decider=user,
        decision=ApprovalDecision.Decision.APPROVED,
        note=note,
    )

    def advance(obj: ApprovalRequest) -> None:
        if final:
            obj.decided_at = timezone.now()
            obj.routed_role = None
        else:
            obj.step += 1
            next_rule = _route(kind=obj.kind, step=obj.step, store_id=obj.store_id, value=obj.value)
            if next_rule is None:
                raise TransitionConflict(_("No role can decide the next step of this request."))
            obj.routed_role = next_rule.role

    request = transition_run(
        instance=request, name="approve", user=user, note=note, lock=False, before_save=advance, final=final
    )
    if final:
        kind = approval_kind(request.kind)
        if kind is not None and kind.handler is not None:
            kind.handler(request=request)
    return request


@transaction.atomic
def approval_reject(*, request: ApprovalRequest, user, note: str) -> ApprovalRequest:
    request = _lock(request)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the request is rejected.")]})
    if request.state == ApprovalRequest.State.PENDING and user.pk == request.requester_id:
        raise PermissionDenied(_("You cannot decide your own request."))
    held = roles_in(user, request.store_id)
    mine = [
        r for r in rules_for(kind=request.kind, step=request.step, store_id=request.store_id) if r.role.code in held
    ]

    def stamp(obj: ApprovalRequest) -> None:
        obj.decided_at = timezone.now()
        obj.routed_role = None

    request = transition_run(instance=request, name="reject", user=user, note=note, lock=False, before_save=stamp)
    ApprovalDecision.objects.create(
        request=request,
        step=request.step,
        role=mine[0].role,
        decider=user,
        decision=ApprovalDecision.Decision.REJECTED,
        note=note,
    )
    kind = approval_kind(request.kind)
    if kind is not None and kind.on_rejected is not None:
        kind.on_rejected(request=request)
    return request


@transaction.atomic
def approval_escalate(*, request: ApprovalRequest, user, note: str = "") -> ApprovalRequest:
    """Hand the request to the next level up that covers the value (when a limit or a quota stops
    the current one)."""
    request = _lock(request)
    current_rank = request.routed_role.rank if request.routed_role_id else -1
    held = roles_in(user, request.store_id)
    my_rules = [
        r for r in rules_for(kind=request.kind, step=request.step, store_id=request.store_id) if r.role.code in held
    ]
    as_role = my_rules[0].role if my_rules else None
    next_rule = _route(
        kind=request.kind,
        step=request.step,
        store_id=request.store_id,
        value=request.value,
        above_rank=max(current_rank, as_role.rank if as_role else -1),
    )
    if next_rule is None:
        raise TransitionConflict(_("There is no higher level to escalate this request to."), state=request.state)

    def reroute(obj: ApprovalRequest) -> None:
        obj.routed_role = next_rule.role

    request = transition_run(instance=request, name="escalate", user=user, note=note, lock=False, before_save=reroute)
    if as_role is not None:
        ApprovalDecision.objects.create(
            request=request,
            step=request.step,
            role=as_role,
            decider=user,
            decision=ApprovalDecision.Decision.ESCALATED,
            note=note,
        )
    return request


@transaction.atomic
def approval_withdraw(*, request: ApprovalRequest, user, note: str = "") -> ApprovalRequest:
    return transition_run(instance=request, name="withdraw", user=user, note=note)


def role_by_code(code: str) -> Role:
    return Role.objects.get(code=code)
