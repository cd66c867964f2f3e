"""Schemathesis against /api/schema/: every operation, as personas of two stores.

Given the schema the API publishes and tokens of a consultant and a manager of store A and a
consultant of store B, when schemathesis generates a few requests per operation (valid and
invalid, within ``EXAMPLES`` each so the suite keeps its budget), then no answer is a 5xx, every
answer conforms to the schema (status code documented or a convention's 400/403/404/409, body
shape, content type), and a refused request (4xx) wrote no row.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.security import walk

EXAMPLES = 3
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.fixture
def wsgi_app():
    """The real WSGI app, without the per-request connection close: the test's transaction (and
    the personas in it) must survive every request, as the test client arranges for itself."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_generated_requests_without_errors(personas, wsgi_app):
    application = wsgi_app
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    users = {
        "A consultant": personas.consultant,
        "A manager": personas.showroom_manager,
        "B consultant": personas.b_consultant,
    }
    tokens = {name: Token.objects.create(user=user).key for name, user in users.items()}
    failures = []
    operations = list(_operations(schema))
    assert len(operations) > 100, "the schema lists every API operation"
    for operation in operations:
        for name, key in tokens.items():
            _fuzz(operation, name, key, failures)
    assert not failures, f"{len(failures)} problems:\n" + "\n\n".join(failures[:30])


def _fuzz(operation, persona, key, failures):
    headers = {"Authorization": f"Token {key}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        before = walk.writes()
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the WSGI app raised: a 500 the client would see
            failures.append(f"{persona} {case.method} {case.formatted_path}: {type(exc).__name__}: {exc}")
            return
        written = walk.writes() - before
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis groups its failures
            failures.append(f"{persona} {case.method} {case.formatted_path} → {response.status_code}: {exc}"[:1500])
        if response.status_code >= 400 and written:
            failures.append(
                f"{persona} {case.method} {case.formatted_path} → {response.status_code} wrote {written} rows"
            )

    run()
