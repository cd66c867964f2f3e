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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PG, Figure, emit, percentile, setup_django, size_from_argv

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


BLOCKS = 4


def measure_both(urls: list[str], rounds: int) -> list[dict[str, tuple[float, float, int]]]:
    """Both databases in alternating blocks of rounds: the machine's load drifts during a run,
    and alternating spreads the drift over both sides of the ratio."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from showroom.scale.database import scale_connection_use, scale_target

    plans, clients = {}, {}
    timings = {url: {} for url in urls}
    queries = {url: {} for url in urls}
    per_block = max(1, rounds // BLOCKS)
    for _block in range(BLOCKS):
        for url in urls:
            scale_connection_use(target=scale_target(database_url=url))
            cache.clear()
            if url not in plans:
                plans[url] = cases()
                users = get_user_model().objects
                for _label, username, _path in plans[url]:
                    if (url, username) not in clients:
                        clients[url, username] = Client()
                        clients[url, username].force_login(users.get(username=username))
            for label, username, path in plans[url]:
                client = clients[url, username]
                assert client.get(path).status_code == 200, path  # warm-up after the switch
                for _ in range(per_block):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get(path)
                        timings[url].setdefault(label, []).append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                    queries[url][label] = len(ctx.captured_queries)
    return [
        {label: (statistics.median(ts), percentile(ts, 95), queries[url][label]) for label, ts in timings[url].items()}
        for url in urls
    ]


def main() -> None:
    size, _ = size_from_argv("medium")
    parser = argparse.ArgumentParser()
    parser.add_argument("--size")
    parser.add_argument("--small-url", default=os.environ.get("SCALE_SMALL_URL") or PG + "showroom_scale_small")
    parser.add_argument("--url", default=os.environ.get("SCALE_URL") or PG + f"showroom_scale_{size}")
    parser.add_argument("--rounds", type=int, default=4 if size == "tiny" else 20)
    args = parser.parse_args()
    setup_django()
    small, big = measure_both([args.small_url, args.url], args.rounds)
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
