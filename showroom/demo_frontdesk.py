"""Demo front desk for store "car01": the consultants on today's duty roster, two receptionists,
and a day of about twenty walk-ins and eight calls across two shifts with a handover, assignments
in turn, a skip and a manager's override. Registered as the ``frontdesk`` seeder (after ``core``
and ``followups``); idempotent.

The day is today when the showroom has been open for two hours, else yesterday (so the times are
never in the future). Records are written directly with the invariants the services keep: each
visit counted in the shift it arrived in, open visits handed to the second shift, each walk-in in
turn recorded as an assignment.
"""

import datetime as dt
import random

from showroom.registry import register_seeder

# username, full name, role
DEMO_STAFF = [
    ("consultant2", "孙悦", "consultant"),
    ("consultant3", "张伟", "consultant"),
    ("consultant4", "赵磊", "consultant"),
    ("reception2", "杨雪", "receptionist"),
]

QUESTIONS = [
    ("新款SUV什么时候到店？可以预约试驾吗？", True),
    ("现在买车有什么优惠活动？", False),
    ("旧车置换怎么评估？需要带什么资料？", True),
    ("贷款购车首付最低多少？", False),
    ("周末几点营业？", False),
    ("想了解一下混动车型的续航。", True),
    ("上次看的那台白色现车还在吗？", True),
    ("保养预约找谁？", False),
]
NOTES = ["", "", "", "带小孩，需要儿童座椅", "对比过竞品", "随行两位朋友", "在休息区等候", ""]


def _user(username: str, full_name: str):
    from django.contrib.auth import get_user_model

    from showroom.demo import DEMO_PASSWORD

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": full_name, "last_name": "", "email": f"{username}@example.com"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "沪" + rng.choice("ABCDEFGHJK") + "".join(rng.choice(letters + "0123456789") for _ in range(5))


def seed_frontdesk(*, stdout) -> None:
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from showroom.demo import fake_mobile
    from showroom.models import (
        Assignment,
        Call,
        Customer,
        DutyRoster,
        FollowUp,
        FrontDeskSettings,
        Membership,
        ReceptionShift,
        Role,
        RosterEntry,
        Store,
        Visit,
    )
    from showroom.selectors.frontdesk import day_bounds, shift_counts, visit_sources_for
    from showroom.services.followups import followup_plan_schedule
    from showroom.services.frontdesk import CALLBACK_PLAN

    store = Store.objects.filter(code="car01").first()
    if store is None:
        stdout.write("  frontdesk: no store car01; skipped")
        return
    with transaction.atomic():
        roles = {role.code: role for role in Role.objects.filter(code__in=["consultant", "receptionist"])}
        for username, full_name, role in DEMO_STAFF:
            Membership.objects.get_or_create(user=_user(username, full_name), store=store, role=roles[role])
        FrontDeskSettings.objects.get_or_create(store=store)
        consultants = [
            m.user
            for m in Membership.objects.filter(store=store, role__code="consultant", is_active=True)
            .select_related("user")
            .order_by("user__username")
        ]
        receptionists = [
            m.user
            for m in Membership.objects.filter(store=store, role__code="receptionist", is_active=True)
            .select_related("user")
            .order_by("user__username")
        ]
        manager = Membership.objects.filter(store=store, role__code="showroom_manager").select_related("user").first()
        if len(consultants) < 2 or not receptionists or manager is None:
            stdout.write("  frontdesk: car01 lacks consultants, a receptionist or a manager; skipped")
            return

        now = timezone.localtime()
        today = now.date()
        opening = dt.datetime.combine(today, store.opening_time, tzinfo=now.tzinfo)
        if now >= opening + dt.timedelta(hours=2):
            day, end = (
                today,
                min(now - dt.timedelta(minutes=10), dt.datetime.combine(today, store.closing_time, tzinfo=now.tzinfo)),
            )
        else:
            day = today - dt.timedelta(days=1)
            end = dt.datetime.combine(day, store.closing_time, tzinfo=now.tzinfo)
        start = dt.datetime.combine(day, store.opening_time, tzinfo=now.tzinfo)

        rosters = {}
        for roster_day in sorted({day, today}):
            roster, created = DutyRoster.objects.get_or_create(
                store=store, day=roster_day, defaults={"updated_by": manager.user}
            )
            if created:
                RosterEntry.objects.bulk_create(
                    RosterEntry(roster=roster, consultant=c, position=i) for i, c in enumerate(consultants, start=1)
                )
            rosters[roster_day] = roster

        lo, hi = day_bounds(day)
        if Visit.objects.filter(store=store, arrived_at__gte=lo, arrived_at__lt=hi).exists():
            stdout.write("  frontdesk: already seeded")
            return
        if day == today and ReceptionShift.objects.filter(store=store, closed_at__isnull=True).exists():
            stdout.write("  frontdesk: a shift is open in car01; the demo day is left out")
            return

        rng = random.Random(20261128)
        sources = visit_sources_for(store=store)
        customers = list(Customer.objects.filter(store=store).order_by("id")[:30])
        middle = start + (end - start) / 2
        first_desk, second_desk = receptionists[0], receptionists[-1]
        # The first shift is closed at the handover; the second is still open today.
        shift1 = ReceptionShift.objects.create(
            store=store, receptionist=first_desk, opened_at=start, closed_at=middle, closed_by=first_desk
        )
        shift2 = ReceptionShift.objects.create(
            store=store,
            receptionist=second_desk,
            opened_at=middle,
            closed_at=None if day == today else end,
            closed_by=None if day == today else second_desk,
        )
        entries = list(rosters[day].entries.select_related("consultant").order_by("position"))
        # The duty rule as the desk applies it (showroom.selectors.roster): after the last one
        # assigned in turn, skip whoever is with a customer or behind on follow-ups.
        hours = FrontDeskSettings.objects.get(store=store).overdue_skip_hours
        overdue = dict(
            FollowUp.objects.filter(
                store=store, state="open", due_at__lt=now - dt.timedelta(hours=hours), assignee__in=consultants
            )
            .values("assignee_id")
            .annotate(n=Count("id"))
            .values_list("assignee_id", "n")
        )
        span = (end - start).total_seconds()
        arrivals = sorted(start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(20))
        last = None
        busy_until: dict[int, dt.datetime] = {}
        for index, arrived in enumerate(arrivals):
            shift = shift1 if arrived < middle else shift2
            purpose = rng.choices(["look", "collect", "service", "find_someone", "other"], weights=[12, 2, 3, 2, 1])[0]
            first = rng.random() < 0.6
            still_here = day == today and index >= len(arrivals) - 2
            visit = Visit.objects.create(
                store=store,
                counted_shift=shift,
                current_shift=shift,
                arrived_at=arrived,
                left_at=None if still_here else min(arrived + dt.timedelta(minutes=rng.randint(12, 35)), end),
                party_size=rng.choice([1, 1, 2, 2, 3, 4]),
                purpose=purpose,
                first_visit=first,
                source=rng.choice(sources),
                licence_plate=_plate(rng) if rng.random() < 0.4 else "",
                customer=None if first or not customers else rng.choice(customers),
                notes=rng.choice(NOTES),
                logged_by=shift.receptionist,
            )
            Visit.objects.filter(pk=visit.pk).update(created_at=arrived)
            if purpose not in ("look", "find_someone"):
                continue
            common = {"store": store, "day": day, "visit": visit}
            if index == 6:
                chosen = entries[-1]
                Assignment.objects.create(
                    **common,
                    roster_entry=chosen,
                    consultant=chosen.consultant,
                    kind=Assignment.Kind.OVERRIDE,
                    reason="老客户点名要求该顾问接待",
                    counts_for_fairness=False,
                    decided_by=manager.user,
                )
            else:
                begin = 0 if last is None else last + 1
                chosen, skips = None, []
                for entry in entries[begin:] + entries[:begin]:
                    if busy_until.get(entry.consultant_id, start) > arrived:
                        skips.append((entry, Assignment.ReasonCode.WITH_CUSTOMER, {}))
                    elif overdue.get(entry.consultant_id):
                        details = {"overdue": overdue[entry.consultant_id], "hours": hours}
                        skips.append((entry, Assignment.ReasonCode.OVERDUE, details))
                    else:
                        chosen = entry
                        break
                if chosen is None:
                    continue  # nobody free: the visitor waits (the desk records nothing then)
                for entry, code, details in skips:
                    Assignment.objects.create(
                        **common,
                        roster_entry=entry,
                        consultant=entry.consultant,
                        kind=Assignment.Kind.SKIPPED,
                        reason_code=code,
                        details=details,
                        counts_for_fairness=False,
                        decided_by=shift.receptionist,
                    )
                Assignment.objects.create(
                    **common,
                    roster_entry=chosen,
                    consultant=chosen.consultant,
                    kind=Assignment.Kind.ASSIGNED,
                    decided_by=shift.receptionist,
                )
                last = entries.index(chosen)
            Assignment.objects.filter(visit=visit).update(created_at=arrived)
            busy_until[chosen.consultant_id] = visit.left_at or end + dt.timedelta(hours=1)
            visit.consultant = chosen.consultant
            visit.save(update_fields=["consultant"])

        # The handover: visits of the first shift still there at its close go to the second.
        handed = Visit.objects.filter(counted_shift=shift1).exclude(left_at__lt=middle)
        handed_count = handed.count()
        handed.update(current_shift=shift2)
        shift1.handed_to = shift2
        shift1.handover_note = "休息区还有客户在等顾问，已告知。"
        shift1.counts = {**shift_counts(shift=shift1), "open": handed_count}
        shift1.save()
        if day != today:
            shift2.counts = shift_counts(shift=shift2)
            shift2.save(update_fields=["counts"])

        for index, (question, callback) in enumerate(QUESTIONS):
            at = start + dt.timedelta(seconds=span * (index + 0.5) / len(QUESTIONS))
            consultant = consultants[index % len(consultants)] if callback else None
            call = Call.objects.create(
                store=store,
                counted_shift=shift1 if at < middle else shift2,
                at=at,
                number=fake_mobile(rng)[3:],  # callers dial the national number
                question=question,
                callback_agreed_at=(at + dt.timedelta(days=1)).replace(hour=10, minute=30) if callback else None,
                callback_note="客户希望上午联系" if callback else "",
                consultant=consultant,
                logged_by=(shift1 if at < middle else shift2).receptionist,
            )
            if callback:
                followup_plan_schedule(
                    plan_code=CALLBACK_PLAN,
                    target=call,
                    store=store,
                    assignee=consultant,
                    due_at=call.callback_agreed_at,
                    kind="call",
                    title=f"回电客户：{question[:40]}",
                    created_by=call.logged_by,
                )

        if day == today:
            open_consultants = set(
                Visit.objects.filter(store=store, left_at__isnull=True, consultant__isnull=False).values_list(
                    "consultant_id", flat=True
                )
            )
            for entry in rosters[today].entries.all():
                entry.status = (
                    RosterEntry.Status.WITH_CUSTOMER
                    if entry.consultant_id in open_consultants
                    else RosterEntry.Status.AVAILABLE
                )
                entry.status_changed_at = now
                entry.save(update_fields=["status", "status_changed_at"])
    stdout.write(f"  frontdesk: roster of {len(consultants)} in car01, 20 visits and {len(QUESTIONS)} calls on {day}")


register_seeder("frontdesk", seed_frontdesk, depends_on=["core", "followups"])
