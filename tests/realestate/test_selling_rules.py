"""Permits, price caps and the project's opening."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from realestate import services
from realestate.models import Building, Permit, PriceList, Project, Unit
from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory
from tests.realestate.factories import site_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("missing", [k for k, _l in Permit.Kind.choices])
def test_selling_is_refused_while_any_permit_is_missing(personas, missing):
    # given a project with four of the five permits
    kinds = [k for k, _l in Permit.Kind.choices if k != missing]
    _project, _building, units, _pl = site_make(personas, permits=kinds)
    buyer = CustomerFactory(store=personas.store_a)
    # when the consultant subscribes a unit
    with pytest.raises(TransitionConflict) as refused:
        services.subscription_create(
            user=personas.consultant, unit=units[0], customer=buyer, payment_method="full", deposit="10000"
        )
    # then it is refused naming the missing permit, and nothing changed
    assert str(dict(Permit.Kind.choices)[missing]) in refused.value.message
    assert Unit.objects.get(pk=units[0].pk).state == Unit.State.AVAILABLE
    assert not units[0].subscriptions.exists()


def test_a_building_the_presale_permit_does_not_cover_cannot_be_sold(personas, site, buyer):
    other = Building.objects.create(project=site["project"], name="2号楼", order=2)
    unit = Unit.objects.create(
        store=personas.store_a,
        project=site["project"],
        building=other,
        floor=1,
        number="101",
        built_area=Decimal("90"),
        inner_area=Decimal("72"),
        orientation="south",
    )
    with pytest.raises(TransitionConflict, match="pre-sale permit"):
        services.subscription_create(
            user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="10000"
        )


def test_a_list_price_above_the_permits_maximum_is_refused(personas, site):
    # given the permit's filed maximum of 30,000/m²; floor 3 south = base + 200 + 500
    project = site["project"]
    # when the sales manager submits a price list at 29,400 base (floor 3: 30,100/m²)
    draft = services.price_list_create(
        user=personas.sales_manager,
        project=project,
        effective_from=site["price_list"].effective_from,
        bases={site["building"].pk: "29400"},
        floor_step="100",
        orientation_adjustments={"south": "500"},
    )
    with pytest.raises(ValidationError) as refused:
        services.price_list_submit(user=personas.sales_manager, price_list=draft)
    # then it is refused naming the units above the cap, and stays a draft without a request
    assert "1号楼-301" in str(refused.value)
    assert PriceList.objects.get(pk=draft.pk).state == PriceList.State.DRAFT
    assert not ApprovalRequest.objects.filter(object_id=draft.pk, kind="realestate.price_change").exists()


def test_a_price_at_the_maximum_goes_to_the_director_then_the_general_manager(personas, site):
    draft = services.price_list_create(
        user=personas.sales_manager,
        project=site["project"],
        effective_from=site["price_list"].effective_from,
        bases={site["building"].pk: "29300"},
        floor_step="100",
        orientation_adjustments={"south": "500"},
    )
    services.price_list_submit(user=personas.sales_manager, price_list=draft)
    request = ApprovalRequest.objects.get(object_id=draft.pk, kind="realestate.price_change")
    approval_approve(request=request, user=personas.marketing_director)
    assert PriceList.objects.get(pk=draft.pk).state == PriceList.State.PENDING
    approval_approve(request=ApprovalRequest.objects.get(pk=request.pk), user=personas.general_manager)
    approved = PriceList.objects.get(pk=draft.pk)
    assert approved.state == PriceList.State.APPROVED and approved.approved_at is not None


def test_the_consultant_cannot_prepare_a_price_list(personas, site):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.price_list_create(
            user=personas.consultant,
            project=site["project"],
            effective_from=site["price_list"].effective_from,
            bases={site["building"].pk: "20000"},
        )


def test_opening_needs_the_public_notice_checklist_and_the_five_permits(personas, site):
    from showroom.models import ChecklistTemplate
    from showroom.services.checklists import checklist_answer, checklist_run_start

    project = site["project"]
    Project.objects.filter(pk=project.pk).update(state=Project.State.PREPARING)
    project.refresh_from_db()
    with pytest.raises(TransitionConflict) as refused:
        services.project_open(user=personas.sales_manager, project=project)
    assert refused.value.missing  # the public-notice items
    run = checklist_run_start(template_code="realestate.public_notice", target=project, user=personas.sales_manager)
    template = ChecklistTemplate.objects.get(code="realestate.public_notice")
    assert [i.text for i in template.items.order_by("order")][:2] == [
        "天津市商品房销售许可证",
        "天津市商品房买卖合同示范文本及天津市商品房预定协议示范文本",
    ]
    for item in template.items.all():
        checklist_answer(run=run, item=item, user=personas.sales_manager, ticked=True)
    opened = services.project_open(user=personas.sales_manager, project=project)
    assert opened.state == Project.State.OPEN and opened.opened_at is not None


def test_a_permit_is_recorded_with_number_date_and_scan(personas, site):
    with pytest.raises(ValidationError) as refused:
        services.permit_record(
            user=personas.sales_manager, project=site["project"], kind="presale", number="", issued_on=None, scan=None
        )
    assert set(refused.value.message_dict) >= {"number", "issued_on", "scan", "max_price_per_m2", "buildings"}
    permit = services.permit_record(
        user=personas.sales_manager,
        project=site["project"],
        kind="presale",
        number="津预售 2026-12",
        issued_on=site["price_list"].effective_from,
        scan=ContentFile(b"%PDF", name="p.pdf"),
        max_price_per_m2="28000",
        buildings=[site["building"]],
    )
    assert permit.max_price_per_m2 == Decimal("28000.00")
