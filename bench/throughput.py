"""Benchmark: requests per second of the lead list API under gunicorn (2 sync workers, persistent
database connections) with 32 concurrent clients, beside a plain DRF list of 50 rows of one table
(bench/throughput_urls.py) under the same server in the same run, and their ratio (goal ≥ 0.5).

Run: .venv/bin/python bench/throughput.py --url postgres://…/showroom_scale_medium [--seconds 15]
(``--size medium`` alone means the showroom_scale_medium database.)
"""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PG, ROOT, Figure, emit, percentile, size_from_argv

CLIENTS = 32
GOAL = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(url: str) -> str:
    """Log the lead-list user in through Django's own session machinery, in the scale database."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.throughput_settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="scale_manager"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def hammer(base: str, path: str, cookie: str, seconds: float) -> tuple[float, float, int]:
    """CLIENTS threads GET ``path`` for ``seconds``: requests per second, p50 ms, errors."""
    import requests

    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client():
        session = requests.Session()
        session.cookies.set("sessionid", cookie)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            response = session.get(base + path, timeout=60)
            if response.status_code == 200:
                mine.append((time.perf_counter() - start) * 1000)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 50) if latencies else 0.0, errors[0]


def main() -> None:
    size, _ = size_from_argv("medium")
    parser = argparse.ArgumentParser()
    parser.add_argument("--size")
    parser.add_argument("--url", default=os.environ.get("SCALE_URL") or PG + f"showroom_scale_{size}")
    parser.add_argument("--seconds", type=float, default=3 if size == "tiny" else 15)
    args = parser.parse_args()
    cookie = session_cookie(args.url)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=args.url, DJANGO_SETTINGS_MODULE="bench.throughput_settings")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--log-level=warning",
            "showroom.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        for _ in range(120):
            try:
                requests.get(base + "/bench/plain/", timeout=60, cookies={"sessionid": cookie})
                break
            except requests.RequestException:
                time.sleep(0.5)
        cases = [("plain DRF list, 50 rows", "/bench/plain/"), ("lead list API", "/api/v1/leads/leads/")]
        results = {}
        for label, path in cases:
            for _ in range(4):  # warm both workers' connections and caches
                requests.get(base + path, cookies={"sessionid": cookie}, timeout=60).raise_for_status()
            results[label] = hammer(base, path, cookie, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    name = args.url.rsplit("/", 1)[-1]
    print(f"throughput under gunicorn (2 sync workers), {CLIENTS} clients, {args.seconds:.0f} s each, {name}")
    print(f"{'case':<26} {'req/s':>8} {'p50 ms':>8} {'errors':>7}")
    for label, (rps, p50, errors) in results.items():
        print(f"{label:<26} {rps:>8.1f} {p50:>8.1f} {errors:>7}")
    (plain, plain_p50, _), (leads, leads_p50, _) = results.values()
    ratio = leads / plain if plain else 0.0
    print(f"ratio lead list API / plain list: {ratio:.2f} (goal >= {GOAL})")
    emit(
        "throughput",
        [
            Figure("lead list API req/s", leads, "req/s", plain, "plain DRF list, 50 rows", ratio, ">= 0.5"),
            Figure(
                "lead list API p50 under load",
                leads_p50,
                "ms",
                plain_p50,
                "plain DRF list, 50 rows",
                leads_p50 / plain_p50,
            ),
        ],
    )


if __name__ == "__main__":
    main()
