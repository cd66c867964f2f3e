"""Shared fixtures: reference data after every flush, personas in two stores, API clients."""

import pytest
from rest_framework.test import APIClient

from showroom import roles as r
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Personas create twenty users a test; the real hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Under xdist each process has its own test database but they share one Redis: their cache
    # keys (built from primary keys that both databases hand out) must not meet.
    worker = __import__("os").environ.get("PYTEST_XDIST_WORKER")
    if worker:
        for cache in settings.CACHES.values():
            cache["KEY_PREFIX"] = worker


@pytest.fixture(autouse=True)
def _language_reset():
    """A page request leaves its language active in the thread (the locale middleware does not
    switch back); every test starts from the default language so its order never matters."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush every table; put the reference data back for each test that
    touches the database."""
    names = request.fixturenames
    if request.node.get_closest_marker("django_db") is None:
        for name in ("transactional_db", "live_server", "db"):
            if name in names:
                request.getfixturevalue("transactional_db" if name == "live_server" else name)
                break
        else:
            return
    from showroom.reference import ensure_reference_data

    ensure_reference_data()


class Personas:
    """One user per role in store A; a consultant and a manager in store B."""

    def __init__(self):
        self.store_a = StoreFactory(code="store-a", name="A 店")
        self.store_b = StoreFactory(code="store-b", name="B 店")
        self.users = {}
        for code in r.ROLE_CODES:
            user = UserFactory(username=f"a_{code}")
            MembershipFactory(user=user, store=self.store_a, role_code=code)
            self.users[code] = user
        self.b_consultant = UserFactory(username="b_consultant")
        MembershipFactory(user=self.b_consultant, store=self.store_b, role_code=r.CONSULTANT)
        self.b_manager = UserFactory(username="b_manager")
        MembershipFactory(user=self.b_manager, store=self.store_b, role_code=r.SHOWROOM_MANAGER)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


@pytest.fixture
def personas(db):
    return Personas()


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            # A real session, so every request loads its own user (as in production) and the
            # query counts are the real ones.
            client.force_login(user)
        return client

    return make


@pytest.fixture
def web(client):
    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def celery_process(transactional_db):
    """Start a real Celery worker (optionally with beat) in a subprocess on the Redis broker and
    the test database. Yields a function that starts it; stops it at the end."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        pytest.skip("needs the Redis broker (make test sets CELERY_BROKER_URL)")
    processes = []

    def start(*, beat: bool = False, app: str = "tests.worker_app", extra_env: dict | None = None, tmp=None):
        from celery import Celery

        Celery(broker=broker).control.purge()
        db = connection.settings_dict
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
            "CELERY_BROKER_URL": broker,
            "PYTHONPATH": str(Path(settings.BASE_DIR)),
            **(extra_env or {}),
        }
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if beat:
            schedule = Path(tmp or "/tmp") / f"beat-{os.getpid()}-{time.time_ns()}"
            cmd += ["--beat", "--schedule", str(schedule)]
        proc = subprocess.Popen(
            cmd, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        processes.append(proc)
        return proc

    yield start
    for proc in processes:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stdout:
            proc.stdout.close()
    connection.close()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.3):
    """Poll until ``predicate()`` is truthy; the value, or None after the timeout."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
