"""The admin: every real-estate model is listed; records that change only through the services
cannot be added, changed or deleted there."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import UserFactory
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_every_changelist_opens(personas, site, buyer, root):
    # given a site with a reviewed subscription
    subscribe_through(personas, site["units"][0], buyer)
    # then every model's list page opens
    for model in apps.get_app_config("realestate").get_models():
        url = reverse(f"admin:realestate_{model._meta.model_name}_changelist")
        assert root.get(url).status_code == 200, url


def test_service_records_are_read_only(personas, site, buyer, root):
    sub = subscribe_through(personas, site["units"][0], buyer)
    unit = site["units"][0]
    # when the admin tries to change a unit's or a subscription's row, or add one
    assert root.post(reverse("admin:realestate_unit_change", args=[unit.pk]), {"state": "available"}).status_code == 403
    assert root.get(reverse("admin:realestate_subscription_add")).status_code == 403
    assert root.post(reverse("admin:realestate_subscription_delete", args=[sub.pk]), {"post": "yes"}).status_code == 403
    # then nothing changed
    unit.refresh_from_db()
    assert unit.state == "subscribed"


def test_project_settings_are_editable_but_not_its_state(personas, site, root):
    project = site["project"]
    page = root.get(reverse("admin:realestate_project_change", args=[project.pk]))
    assert page.status_code == 200
    assert 'name="deed_tax_rate"' in page.content.decode()
    assert 'name="state"' not in page.content.decode()
