"""What the leads app registers with the core: the lost-reasons reference step, the lost-lead
approval kind, the grade plans, the scheduled jobs, the menu and the demo seeder (idempotent)."""

import io

import pytest
from django.urls import reverse

from leads.models import Lead, LostReason, TrimColour, VehicleModel
from leads.reference import LOST_REASONS
from showroom.models import ApprovalRequest
from showroom.reference import _STEPS, ensure_reference_data
from showroom.registry import approval_kind, registry

pytestmark = pytest.mark.django_db


def test_ensure_reference_data_runs_the_lost_reasons_step_after_the_core():
    names = [name for name, _step in _STEPS]
    assert "lost_reasons" in names and names.index("roles") < names.index("lost_reasons")
    LostReason.objects.all().delete()
    ensure_reference_data()
    ensure_reference_data()
    assert sorted(LostReason.objects.filter(store__isnull=True).values_list("text", flat=True)) == sorted(LOST_REASONS)


def test_a_reason_switched_off_stays_off():
    LostReason.objects.filter(text=LOST_REASONS[0]).update(is_active=False)
    ensure_reference_data()
    assert not LostReason.objects.get(text=LOST_REASONS[0]).is_active


def test_the_core_knows_what_the_app_brings():
    kind = approval_kind("leads.lost_lead")
    assert kind is not None and kind.unit == "none" and kind.handler is not None and kind.on_rejected is not None
    assert {"leads.unrecorded_contacts", "leads.dormant"} <= set(registry.scheduled_jobs)
    assert registry.seeders["leads"].depends_on == ("core", "followups")


def test_the_menu_shows_the_leads_section_by_role(personas, web):
    consultant = web(personas.consultant).get(reverse("leads:mine")).content.decode()
    assert reverse("leads:catalogue") in consultant and reverse("leads:check") not in consultant
    manager = web(personas.showroom_manager).get(reverse("leads:catalogue")).content.decode()
    assert reverse("leads:check") in manager and reverse("leads:unrecorded") in manager


def test_the_demo_seeder_is_idempotent(transactional_db):
    from showroom.demo import seed_core
    from showroom.demo_followups import seed_followups

    out = io.StringIO()
    seed_core(stdout=out)
    seed_followups(stdout=out)
    registry.seeders["leads"].func(stdout=out)
    assert VehicleModel.objects.filter(brand__name="别克").count() == 5
    assert TrimColour.objects.count() > 40
    leads = Lead.objects.filter(store__code="car01")
    assert leads.count() == 30
    assert set(leads.values_list("state", flat=True)) == {
        "new",
        "contacted",
        "visited",
        "test_driven",
        "negotiating",
        "won",
        "lost",
        "dormant",
    }
    assert set(leads.values_list("grade", flat=True)) == {"H", "A", "B", "C"}
    assert ApprovalRequest.objects.filter(kind="leads.lost_lead", state="pending").count() == 1
    registry.seeders["leads"].func(stdout=out)
    assert leads.count() == 30
    assert ApprovalRequest.objects.filter(kind="leads.lost_lead").count() == 2
