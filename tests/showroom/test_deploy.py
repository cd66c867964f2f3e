"""Deployment files and the production settings profile.

No database: docker-compose.yml is checked by ``docker compose config`` when a compose tool works
here, else read as YAML; ``manage.py check --deploy`` and the settings run in subprocesses with
``DJANGO_ENV=production`` on a throw-away SQLite file.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")

# Everything the settings read that could leak into the subprocess from the test run or a
# developer's shell; each test sets what it means to test.
SETTINGS_VARIABLES = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by make test for the browser tests; never in production
    "DJANGO_ENV",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "MEDIA_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
)


def _compose_tool() -> list[str] | None:
    """``docker compose`` or ``docker-compose``, whichever is installed and answers."""
    candidates = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        try:
            done = subprocess.run([*cmd, "version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return cmd
    return None


def _compose_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


@pytest.fixture(scope="module")
def compose() -> dict:
    """The compose file as the compose tool resolves it, or as plain YAML without one."""
    tool = _compose_tool()
    if tool is None:
        return yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    done = subprocess.run(
        [*tool, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=_compose_env(),
    )
    assert done.returncode == 0, f"{' '.join(tool)} config failed:\n{done.stderr}"
    return yaml.safe_load(done.stdout)


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _build(service: dict) -> tuple[str, str]:
    build = service.get("build")
    assert build, "app services are built from the project's Dockerfile"
    if isinstance(build, str):
        return build, "Dockerfile"
    return build.get("context", "."), build.get("dockerfile", "Dockerfile")


def test_compose_has_the_five_services(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])
    assert str(compose["services"]["postgres"]["image"]).startswith("postgres:15")
    assert str(compose["services"]["redis"]["image"]).startswith("redis:7")
    assert compose["services"]["postgres"].get("healthcheck"), "postgres needs a healthcheck"


def test_compose_app_services_use_the_dockerfile(compose):
    for name in APP_SERVICES:
        context, dockerfile = _build(compose["services"][name])
        # `docker compose config` makes the context absolute; the YAML has ".".
        assert Path(ROOT, context).resolve() == ROOT, name
        assert Path(dockerfile).name == "Dockerfile", name
    assert (ROOT / "Dockerfile").is_file()


def test_compose_commands(compose):
    services = compose["services"]
    web = _command(services["web"])
    assert "migrate --noinput" in web
    assert "gunicorn showroom.wsgi" in web
    assert web.index("migrate") < web.index("gunicorn"), "migrations run before the web server"
    assert re.search(r"\bcelery\b.*\s-A\s+showroom\b.*\sworker\b", _command(services["worker"]))
    beat = _command(services["beat"])
    assert re.search(r"\bcelery\b.*\s-A\s+showroom\b.*\sbeat\b", beat)
    assert "worker" not in beat
    # Exactly one beat: no scaling and no other service also running beat (`worker --beat`).
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert services["beat"].get("scale", 1) == 1
    others = [_command(s) for name, s in services.items() if name != "beat"]
    assert not any(re.search(r"\bcelery\b.*\bbeat\b|--beat\b|\s-B\b", c) for c in others)


def test_compose_environment(compose):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        assert environment["DJANGO_ENV"] == "production", name
        assert environment["DATABASE_URL"] == "postgres://showroom:showroom@postgres:5432/showroom"
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert environment["REDIS_URL"] == "redis://redis:6379/1"
        assert "SECRET_KEY" in environment
        assert "ALLOWED_HOSTS" in environment
        assert "SECURE_SSL_REDIRECT" in environment


def _mount_targets(service: dict) -> dict[str, str]:
    """Named volume source by mount target, for short ("media:/path") and long syntax."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        mounts[target] = source
    return mounts


def test_compose_media_volume_is_shared_by_web_and_worker(compose):
    web = _mount_targets(compose["services"]["web"])
    worker = _mount_targets(compose["services"]["worker"])
    shared = {target for target in web if target in worker and web[target] == worker[target]}
    assert shared, "web and worker must share the media volume"
    media_root = compose["services"]["web"]["environment"]["MEDIA_ROOT"]
    assert media_root in shared


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm\s*$", text, re.M), "runtime base image"
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-cjk", "fontconfig", "npm"):
        assert package in text, package
    assert "pip install ." in text
    assert "bash scripts/assets.sh" in text
    assert re.search(r"DJANGO_ENV=production .*collectstatic --noinput", text)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0"), "the image runs as a non-root user"
    cmd = re.findall(r"^CMD\s+(.+)$", text, re.M)[-1]
    assert "gunicorn" in cmd and "showroom.wsgi" in cmd and "0.0.0.0:8000" in cmd


def test_dockerignore_keeps_local_state_out():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "var", "node_modules", ".env", ".git"} <= ignored


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**base, **env},
    )


def _dotenv_sets(name: str) -> bool:
    dotenv = ROOT / ".env"
    return dotenv.exists() and re.search(rf"^\s*(export\s+)?{name}\s*=", dotenv.read_text(), re.M)


def test_check_deploy_passes_in_production(tmp_path):
    if _dotenv_sets("DEBUG") or _dotenv_sets("SECURE_SSL_REDIRECT"):
        pytest.skip(".env overrides the production defaults this test checks")
    done = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "showroom.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
    )
    output = done.stdout + done.stderr
    # A missing CJK font (showroom.W002) fails here on purpose: PDFs would print empty boxes.
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert not re.search(r"\b(WARNING|ERROR|CRITICAL)s?\b|\(\w+\.[WEC]\d+\)", output), output


def test_production_refuses_to_start_without_secret_key(tmp_path):
    if _dotenv_sets("SECRET_KEY"):
        pytest.skip(".env sets SECRET_KEY")
    done = _manage(
        ["check"],
        {
            "DJANGO_ENV": "production",
            "ALLOWED_HOSTS": "showroom.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


COLLECTSTATIC = """
import sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.STATIC_ROOT = sys.argv[1]
call_command("collectstatic", "--noinput", verbosity=0)
"""


def test_collectstatic_with_the_production_storage(tmp_path):
    """The Docker build runs this step: the hashed manifest storage fails on any file whose
    url() or source map points at a file that was not collected."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", COLLECTSTATIC, str(tmp_path / "static")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "showroom.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert (tmp_path / "static" / "staticfiles.json").is_file()
