"""Demo follow-ups: a handful for the demo consultant on demo customers of store "car01" — some
overdue, some due today, some tomorrow — so "My follow-ups" and the bell have something to show.
Registered as the ``followups`` seeder (after ``core``); idempotent."""

import datetime as dt

from showroom.registry import register_seeder

# (title, kind, when): when is "overdue", "today" or "tomorrow"
DEMO_FOLLOWUPS = [
    ("电话回访：确认周末试驾时间", "call", "overdue"),
    ("发送 Model S 顶配报价单", "message", "overdue"),
    ("邀约客户到店看新到展车", "call", "today"),
    ("跟进贷款申请资料是否齐全", "task", "today"),
    ("上门拜访：讨论置换旧车评估", "visit", "tomorrow"),
    ("提醒客户准备交车所需证件", "message", "tomorrow"),
]


def _due_times(now: dt.datetime) -> dict[str, list[dt.datetime]]:
    from django.utils import timezone

    from showroom.selectors.followups import start_of_tomorrow

    tomorrow = start_of_tomorrow(now)
    left_today = tomorrow - now
    return {
        "overdue": [now - dt.timedelta(days=1, hours=2), now - dt.timedelta(hours=3)],
        # Still today whatever the hour the seed runs: a third and two thirds of what is left.
        "today": [now + left_today / 3, now + left_today * 2 / 3],
        "tomorrow": [
            timezone.localtime(tomorrow) + dt.timedelta(hours=10),
            timezone.localtime(tomorrow) + dt.timedelta(hours=15, minutes=30),
        ],
    }


def seed_followups(*, stdout) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from showroom.models import Customer, FollowUp, Store
    from showroom.services.followups import MANUAL_PLAN, followup_plan_schedule

    store = Store.objects.filter(code="car01").first()
    consultant = get_user_model().objects.filter(username="consultant").first()
    if store is None or consultant is None:
        stdout.write("  followups: no store car01 or consultant; skipped")
        return
    titles = [title for title, _kind, _when in DEMO_FOLLOWUPS]
    if FollowUp.objects.filter(store=store, assignee=consultant, title__in=titles).exists():
        stdout.write("  followups: already seeded")
        return
    customers = list(Customer.objects.filter(store=store).order_by("id")[: len(DEMO_FOLLOWUPS)])
    if not customers:
        stdout.write("  followups: no customers in car01; skipped")
        return
    now = timezone.now()
    times = _due_times(now)
    used = {"overdue": 0, "today": 0, "tomorrow": 0}
    with transaction.atomic():
        for index, (title, kind, when) in enumerate(DEMO_FOLLOWUPS):
            due_at = times[when][used[when]]
            used[when] += 1
            followup_plan_schedule(
                plan_code=MANUAL_PLAN,
                target=customers[index % len(customers)],
                store=store,
                assignee=consultant,
                due_at=due_at,
                kind=kind,
                title=title,
            )
    stdout.write(f"  followups: {len(DEMO_FOLLOWUPS)} for the consultant in car01")


register_seeder("followups", seed_followups, depends_on=["core"])
