"""The skeleton's promises: migrations complete, admin for every model, error pages in both
languages, SQLite embedded default migrates and seeds, reference data idempotent."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {"showroom", "leads", "testdrive", "delivery", "warehouse", "realestate"}


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations --check found changes:\n{out.getvalue()}", pytrace=exc.code == 0)


def test_every_model_has_an_admin():
    missing = [
        m._meta.label for m in apps.get_models() if m._meta.app_label in OUR_APPS and not admin.site.is_registered(m)
    ]
    assert missing == []


@pytest.mark.django_db
def test_reference_data_is_idempotent():
    from django.contrib.auth.models import Group

    from showroom.models import AuthorityRule, Role
    from showroom.reference import ensure_reference_data

    ensure_reference_data()
    counts = (Role.objects.count(), Group.objects.count(), AuthorityRule.objects.count())
    ensure_reference_data()
    assert (Role.objects.count(), Group.objects.count(), AuthorityRule.objects.count()) == counts
    assert counts[0] == 18
    assert Role.objects.get(code="consultant").seed_term == "销售顾问 / 置业顾问"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("en", "Page not found"), ("zh-hans", "页面")])
def test_404_page_in_both_languages(personas, web, language, expected):
    client = web(personas.consultant)
    response = client.get("/customers/999999/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert expected in body
    assert f'lang="{language}"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_403_page_in_both_languages(personas, web, language):
    response = web(personas.warehouse_keeper).get(reverse("customers:create"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert f'lang="{language}"' in response.content.decode()


@pytest.mark.django_db
def test_menu_shows_each_role_only_what_it_can_use(personas, web):
    keeper_page = web(personas.warehouse_keeper).get("/").content.decode()
    assert f'href="{reverse("customers:list")}"' not in keeper_page
    assert f'href="{reverse("approvals:inbox")}"' not in keeper_page
    manager_page = web(personas.sales_manager).get("/").content.decode()
    assert f'href="{reverse("customers:list")}"' in manager_page
    assert f'href="{reverse("approvals:inbox")}"' in manager_page


@pytest.mark.django_db
def test_store_switcher_only_switches_to_own_stores(personas, web):
    from tests.factories import MembershipFactory

    MembershipFactory(user=personas.consultant, store=personas.store_b, role_code="consultant")
    client = web(personas.consultant)
    assert client.post(reverse("store_switch"), {"store": personas.store_b.pk, "next": "/"}).status_code == 302
    assert client.get(reverse("customers:list")).context["request"].store == personas.store_b
    outsider = web(personas.b_manager)
    assert outsider.post(reverse("store_switch"), {"store": personas.store_a.pk}).status_code == 404


@pytest.mark.django_db
def test_language_switch_sets_chinese(personas, web):
    client = web(personas.consultant)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("customers:list")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "客户" in page


def test_embedded_sqlite_default_migrates_and_seeds(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'smoke.sqlite3'}"
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args):
        # Migrating an empty SQLite database takes 3–4 minutes of CPU on this 2-core machine kind
        # (each AddConstraint remakes a table and renders every model's state), more beside the
        # rest of the suite: the bound is for a hang, not a benchmark.
        done = subprocess.run([*manage, *args], env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    count = (
        "from django.apps import apps;"
        "print(*(apps.get_model(m).objects.count() for m in "
        "('showroom.Store', 'showroom.Customer', 'leads.Lead', 'showroom.Visit', 'showroom.Document')))"
    )
    run("migrate", "--noinput")
    run("seed_demo", "--quiet-logins")
    first = run("shell", "-c", count).split()[-5:]
    # seeding again changes nothing: every seeder is idempotent
    run("seed_demo", "--quiet-logins")
    again = run("shell", "-c", count).split()[-5:]
    assert first == again
    stores, customers, leads, visits, documents = map(int, first)
    # the five demo stores; the core's 80 customers and what the apps' seeders add
    assert stores == 5 and customers >= 80 and leads > 0 and visits > 0 and documents > 0
    journal = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.db import connection;c=connection.cursor();"
            "c.execute('PRAGMA journal_mode');print(c.fetchone()[0])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert journal.stdout.strip().splitlines()[-1] == "wal"
