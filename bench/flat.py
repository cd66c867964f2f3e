"""Benchmark: is a page as fast with years of data as with a little? p50 and p95 of the lead list
(page and API), the manager dashboard, the sales-control grid, stock on hand and a lead's page in
two ``seed_scale`` databases — the small one (1,000 leads) as the baseline and a bigger one — and
their ratio (goal: the big p50 within 1.5 × the small one).

Run: .venv/bin/python bench/flat.py --small-url postgres://…/showroom_scale_small \
        --url postgres://…/showroom_scale_medium [--rounds 30]
(``--size medium`` alone means the showroom_scale_small and showroom_scale_medium databases.)
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PG, Figure, emit, setup_django, size_from_argv, timed_get

GOAL = 1.5


def cases() -> list[tuple[str, str, str]]:
    """(label, username, url) in the database the connection points at now."""
    from django.urls import reverse

    from leads.models import Lead
    from realestate.models import Project

    project = Project.objects.filter(code="scale-01").get()
    lead = (
        Lead.objects.filter(store__code="scale-car1", testdrive_bookings__isnull=False).order_by("-created_at").first()
    )
    return [
        ("lead list page", "scale_manager", reverse("leads:all")),
        ("lead list API", "scale_manager", "/api/v1/leads/leads/"),
        ("manager dashboard", "scale_manager", "/dashboard/?period=month"),
        ("sales-control grid", "scale_property", reverse("realestate:grid", args=[project.pk])),
        ("stock on hand", "scale_keeper", reverse("warehouse:stock")),
        ("a lead's page", "scale_manager", reverse("leads:detail", args=[lead.pk])),
    ]


def measure(url: str, rounds: int) -> dict[str, tuple[float, float, int]]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from showroom.scale.database import scale_connection_use, scale_target

    scale_connection_use(target=scale_target(database_url=url))
    cache.clear()
    users = get_user_model().objects
    clients: dict[str, Client] = {}
    out = {}
    for label, username, path in cases():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(users.get(username=username))
        out[label] = timed_get(clients[username], path, rounds)
    return out


def main() -> None:
    size, _ = size_from_argv("medium")
    parser = argparse.ArgumentParser()
    parser.add_argument("--size")
    parser.add_argument("--small-url", default=os.environ.get("SCALE_SMALL_URL") or PG + "showroom_scale_small")
    parser.add_argument("--url", default=os.environ.get("SCALE_URL") or PG + f"showroom_scale_{size}")
    parser.add_argument("--rounds", type=int, default=5 if size == "tiny" else 30)
    args = parser.parse_args()
    setup_django()
    small = measure(args.small_url, args.rounds)
    big = measure(args.url, args.rounds)
    name_small, name_big = args.small_url.rsplit("/", 1)[-1], args.url.rsplit("/", 1)[-1]
    print(f"flat with data: {name_big} against {name_small}, {args.rounds} rounds each (ms)")
    print(f"{'case':<22} {'small p50':>9} {'p95':>7} {'big p50':>9} {'p95':>7} {'ratio':>6} {'queries':>9}")
    figures = []
    for label, (s50, s95, sq) in small.items():
        b50, b95, bq = big[label]
        ratio = b50 / s50
        flag = "" if ratio <= GOAL else "  over 1.5x"
        print(f"{label:<22} {s50:>9.1f} {s95:>7.1f} {b50:>9.1f} {b95:>7.1f} {ratio:>6.2f} {sq:>4}/{bq:<4}{flag}")
        figures.append(
            Figure(
                f"{label} p50", b50, baseline=s50, baseline_name=f"{name_small}", ratio=ratio, goal="<= 1.5", queries=bq
            )
        )
        figures.append(Figure(f"{label} p95", b95, baseline=s95, baseline_name=f"{name_small}", ratio=b95 / s95))
    emit("flat", figures)


if __name__ == "__main__":
    main()
