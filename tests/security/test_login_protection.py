"""Login protection and browser-side hardening: lockout, password rules, sessions, CSP, cookies."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"|\shx-on[:-]|javascript:")


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_on_that_address(client, settings):
    # given a user and the default limit of five failures
    settings.AXES_ENABLED = True
    user = UserFactory(username="lena")
    user.set_password("a-right-password-2026")
    user.save()
    # when five wrong passwords are tried
    for _ in range(5):
        response = _login(client, "lena", "wrong-password")
    # then the fifth already answers with the lockout page, and the right password is refused too
    assert response.status_code == 429
    response = _login(client, "lena", "a-right-password-2026")
    assert response.status_code == 429
    assert b'data-testid="locked-out"' in response.content
    assert "_auth_user_id" not in client.session
    # and another user on the same address is not locked
    other = UserFactory(username="omar")
    other.set_password("another-password-2026")
    other.save()
    response = _login(client, "omar", "another-password-2026")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off_and_a_success_resets_the_count(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(username="lena")
    user.set_password("a-right-password-2026")
    user.save()
    for _ in range(5):
        _login(client, "lena", "wrong-password")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert _login(client, "lena", "a-right-password-2026").status_code == 302
        client.logout()
        # a success cleared the failures: four more wrong tries do not lock again
        for _ in range(4):
            assert _login(client, "lena", "wrong-password").status_code == 200
        assert _login(client, "lena", "a-right-password-2026").status_code == 302


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "lena-account"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="lena-account", first_name="Lena")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_uncommon_password_passes():
    validate_password("tea-kettle-harbour-91", user=UserFactory.build(username="lena"))


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_and_after_a_working_day(client, settings):
    user = UserFactory()
    user.set_password("a-right-password-2026")
    user.save()
    _login(client, user.username, "a-right-password-2026")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert not cookie["expires"] and not cookie["max-age"], "a browser-session cookie"
    assert cookie["httponly"]
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    # the server side ends it too, whatever the browser keeps
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_pages_carry_a_script_policy_without_inline_code(web, personas):
    response = web(personas.consultant).get(reverse("customers:list"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert not INLINE_CODE.search(response.content.decode())


def test_no_template_holds_inline_code():
    """Any template, including pages added later: scripts are files under static/."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue  # rendered by WeasyPrint, never by a browser
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if INLINE_CODE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


PRODUCTION_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY", "DEBUG", "AXES_ENABLED", "SECURE_CONTENT_TYPE_NOSNIFF")}))
"""


def test_production_profile_sets_secure_cookies_and_hsts(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_", "SECURE_", "DEBUG"))}
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SETTINGS],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "showroom.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "showroom.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
    )
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["DEBUG"] is False
    assert values["AXES_ENABLED"] is True
