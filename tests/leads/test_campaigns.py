"""Base-customer campaigns: the owners import (all rows or none, CSV in UTF-8 and GBK, XLSX),
replacement cycles, campaign launch (the due owners only, distribution by both rules, no
duplicates) and an owner who bought elsewhere."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from leads.models import Campaign, Lead, Owner, ReplacementCycle
from leads.services import (
    campaign_create,
    campaign_launch,
    lost_reasons_for,
    owner_mark_bought_elsewhere,
    owners_import,
    replacement_cycle_set,
    replacement_cycles_for,
)
from leads.services.campaigns import INVITE_PLAN
from showroom.models import ApprovalRequest, Assignment, Customer, DutyRoster, FollowUp, FrontDeskSettings, RosterEntry
from showroom.selectors.roster import roster_next_up
from showroom.services.approvals import approval_approve
from tests.factories import CustomerFactory, MembershipFactory, UserFactory
from tests.leads.factories import VehicleModelFactory

pytestmark = pytest.mark.django_db

HEADER = "name,mobile,model,purchase date,last service date,mileage"


def today() -> dt.date:
    return timezone.localdate()


def months_ago(months: int, day: int = 15) -> dt.date:
    base = today()
    index = base.year * 12 + base.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def import_csv(personas, data: bytes, user=None):
    return owners_import(
        store=personas.store_a, user=user or personas.sales_manager, file=io.BytesIO(data), filename="owners.csv"
    )


def consultants(personas, n: int) -> list:
    users = [personas.consultant]
    for i in range(n - 1):
        user = UserFactory(username=f"cons{i}", first_name=f"顾问{i}")
        MembershipFactory(user=user, store=personas.store_a, role_code="consultant")
        users.append(user)
    return users


def set_roster(personas, order: list) -> DutyRoster:
    roster = DutyRoster.objects.create(store=personas.store_a, day=today())
    for position, user in enumerate(order, start=1):
        RosterEntry.objects.create(roster=roster, consultant=user, position=position)
    return roster


def new_campaign(personas, *, due_from=None, due_to=None, visit_in_days=7, user=None):
    return campaign_create(
        store=personas.store_a,
        user=user or personas.sales_manager,
        name="老客户置换季",
        talking_points="置换补贴最高 8000 元",
        due_from=due_from or today() - dt.timedelta(days=30),
        due_to=due_to or today() + dt.timedelta(days=90),
        visit_on=today() + dt.timedelta(days=visit_in_days),
    )


@pytest.fixture
def yinglang(db):
    return VehicleModelFactory(name="英朗", segment="sedan_a")  # 60-month cycle by default


class TestImport:
    def test_a_file_with_bad_rows_reports_each_rows_error_and_imports_nothing(self, personas, yinglang):
        # given a file whose first row is good and three others are not
        customers_before = Customer.objects.count()
        data = csv_file(
            f"王伟,13812345678,英朗,{months_ago(59):%Y-%m-%d},2026-01-10,86000",
            f"李娜,12345,英朗,{months_ago(59):%Y-%m-%d},,",
            "张磊,13912345678,英朗,2020.01.05,,",
            f",15012345678,英朗,{months_ago(50):%Y/%m/%d},,-5",
        )
        # when it is imported
        report = import_csv(personas, data)
        # then each bad row's error is reported with its row number and field
        assert not report.ok
        assert [(e.row, e.field) for e in report.errors] == [
            (3, "mobile"),
            (4, "purchase_date"),
            (5, "name"),
            (5, "mileage"),
        ]
        assert all(e.message for e in report.errors)
        # and nothing was imported, not even the good row
        assert Owner.objects.count() == 0
        assert Customer.objects.count() == customers_before

    def test_a_missing_required_column_is_reported_on_the_header(self, personas):
        report = import_csv(personas, csv_file("王伟,13812345678", header="name,mobile"))
        assert {(e.row, e.field) for e in report.errors} == {(1, "model"), (1, "purchase_date")}
        assert Owner.objects.count() == 0

    def test_a_good_file_creates_owners_and_launch_creates_the_due_leads_only(self, personas, yinglang):
        # given a good file: two owners due within the window, one due long after, one long before
        consultants(personas, 1)
        data = csv_file(
            f"王伟,13812345678,英朗,{months_ago(59):%Y-%m-%d},,",
            f"李娜,13912345678,英朗,{months_ago(60):%Y/%m/%d},,",
            f"张磊,15012345678,英朗,{months_ago(20):%Y-%m-%d},,",
            f"赵敏,18612345678,英朗,{months_ago(66):%Y-%m-%d},,",
        )
        report = import_csv(personas, data)
        assert report.ok and report.created == 4 and report.customers_created == 4
        owners = {o.customer.name: o for o in Owner.objects.select_related("customer")}
        assert owners["王伟"].replacement_due == months_ago(59).replace(year=months_ago(59).year + 5)
        # when a campaign for the window is launched
        campaign = new_campaign(personas)
        result = campaign_launch(campaign=campaign, user=personas.sales_manager)
        # then only the two due owners got a lead, from the campaign, with its talking points
        leads = Lead.objects.filter(campaign=campaign).select_related("customer")
        assert sorted(lead.customer.name for lead in leads) == ["李娜", "王伟"]
        assert len(result.created) == 2
        for lead in leads:
            assert lead.source == Customer.Source.EXISTING
            assert lead.state == Lead.State.NEW
            assert "置换补贴最高 8000 元" in lead.plan_note
            assert lead.customer.source == Customer.Source.EXISTING
        # and each consultant has the invitation call the day before the visit at 10:00
        invites = FollowUp.objects.filter(plan=INVITE_PLAN, content_type=ContentType.objects.get_for_model(Lead))
        assert invites.count() == 2
        for invite in invites:
            local = timezone.localtime(invite.due_at)
            assert (local.date(), local.time()) == (campaign.visit_on - dt.timedelta(days=1), dt.time(10, 0))
            assert invite.kind == FollowUp.Kind.CALL

    def test_xlsx_with_chinese_headers_and_date_cells(self, personas, yinglang):
        gl8 = VehicleModelFactory(name="GL8", segment="mpv")
        book = Workbook()
        sheet = book.active
        sheet.append(["姓名", "手机", "车型", "购车日期", "最近保养日期", "里程", "销售顾问"])
        sheet.append(["王伟", "138 1234 5678", "GL8", dt.datetime(2020, 3, 31), dt.datetime(2026, 1, 5), 120000, ""])
        sheet.append(["李娜", 13912345678, "凯美瑞", "2021/02/28", None, 56000.0, personas.consultant.username])
        buffer = io.BytesIO()
        book.save(buffer)
        report = owners_import(
            store=personas.store_a, user=personas.sales_manager, file=io.BytesIO(buffer.getvalue()), filename="x.xlsx"
        )
        assert report.ok, report.errors
        wang = Owner.objects.get(customer__name="王伟")
        assert wang.vehicle_model == gl8 and wang.customer.mobile == "+8613812345678"
        assert wang.replacement_due == dt.date(2027, 3, 31)  # MPV: 84 months
        assert wang.last_service_date == dt.date(2026, 1, 5) and wang.mileage_km == 120000
        li = Owner.objects.get(customer__name="李娜")
        assert li.vehicle_model is None and li.model_text == "凯美瑞"
        assert li.replacement_due == dt.date(2027, 2, 28)  # other: 72 months
        assert li.sold_by == personas.consultant
        assert set(ReplacementCycle.objects.filter(store=personas.store_a).values_list("segment", flat=True)) == {
            "sedan_a",
            "sedan_b",
            "sedan_c",
            "suv",
            "mpv",
            "nev",
            "other",
        }

    def test_gbk_csv_and_utf8_with_bom(self, personas, yinglang):
        header = "姓名,手机,车型,购车日期,最近保养日期,里程"
        gbk = csv_file("王伟,13812345678,英朗,2021-05-01,2025-12-01,30000", header=header, encoding="gbk")
        assert import_csv(personas, gbk).ok
        bom = csv_file("李娜,13912345678,英朗,2021-05-01,,", header=header, encoding="utf-8-sig")
        assert import_csv(personas, bom).ok
        assert sorted(Owner.objects.values_list("customer__name", flat=True)) == ["李娜", "王伟"]
        assert Owner.objects.get(customer__name="王伟").replacement_due == dt.date(2026, 5, 1)

    def test_a_known_mobile_in_the_store_is_that_customer(self, personas, yinglang):
        known = CustomerFactory(store=personas.store_a, name="老王", mobile="13812345678")
        other_store = CustomerFactory(store=personas.store_b, name="B 店客户", mobile="13912345678")
        report = import_csv(
            personas,
            csv_file("王伟,138-1234-5678,英朗,2021-05-01,,", "李娜,13912345678,英朗,2021-05-01,,"),
        )
        assert report.ok and report.customers_found == 1 and report.customers_created == 1
        assert Owner.objects.get(customer__mobile="+8613812345678").customer == known
        assert Customer.objects.filter(store=personas.store_a, mobile="+8613812345678").count() == 1
        assert Owner.objects.get(customer__mobile="+8613912345678").customer != other_store

    def test_re_importing_the_same_owners_updates_rather_than_duplicates(self, personas, yinglang):
        first = csv_file("王伟,13812345678,英朗,2021-05-01,2025-01-01,30000", "李娜,13912345678,英朗,2021-06-01,,")
        assert import_csv(personas, first).created == 2
        again = csv_file("王伟,13812345678,英朗,2021-05-01,2026-01-01,41000", "李娜,13912345678,英朗,2021-06-01,,")
        report = import_csv(personas, again)
        assert (report.created, report.updated) == (0, 2)
        assert Owner.objects.count() == 2 and Customer.objects.filter(store=personas.store_a).count() == 2
        wang = Owner.objects.get(customer__name="王伟")
        assert (wang.mileage_km, wang.last_service_date) == (41000, dt.date(2026, 1, 1))

    def test_a_consultant_may_not_import(self, personas):
        with pytest.raises(PermissionDenied):
            import_csv(personas, csv_file("王伟,13812345678,英朗,2021-05-01,,"), user=personas.consultant)
        assert Owner.objects.count() == 0


class TestCycles:
    def test_the_sales_manager_changes_a_cycle_and_the_due_dates_follow(self, personas, yinglang):
        import_csv(personas, csv_file("王伟,13812345678,英朗,2021-05-01,,"))
        assert Owner.objects.get().replacement_due == dt.date(2026, 5, 1)
        replacement_cycle_set(store=personas.store_a, user=personas.sales_manager, segment="sedan_a", months=48)
        assert replacement_cycles_for(store=personas.store_a)["sedan_a"] == 48
        assert Owner.objects.get().replacement_due == dt.date(2025, 5, 1)

    def test_others_may_not_and_bad_months_are_refused(self, personas):
        with pytest.raises(PermissionDenied):
            replacement_cycle_set(store=personas.store_a, user=personas.showroom_manager, segment="suv", months=60)
        with pytest.raises(ValidationError) as exc:
            replacement_cycle_set(store=personas.store_a, user=personas.sales_manager, segment="suv", months=0)
        assert "months" in exc.value.message_dict
        assert replacement_cycles_for(store=personas.store_a)["suv"] == 72


def due_owners(personas, n: int, *, sold_by=None) -> list[Owner]:
    rows = [f"车主{i},1381234{i:04d},英朗,{months_ago(59, day=1 + i):%Y-%m-%d},," for i in range(n)]
    header = HEADER + (",seller" if sold_by else "")
    if sold_by:
        rows = [f"{row},{sold_by[i % len(sold_by)].username}" for i, row in enumerate(rows)]
    assert import_csv(personas, csv_file(*rows, header=header)).ok
    return list(Owner.objects.order_by("replacement_due", "id"))


class TestLaunch:
    def test_round_robin_follows_the_rosters_order_and_does_not_use_walk_in_turns(self, personas, yinglang):
        # given today's roster c2, c1, c3 and five owners due
        c1, c2, c3 = consultants(personas, 3)
        set_roster(personas, [c2, c1, c3])
        owners = due_owners(personas, 5)
        next_before = roster_next_up(store=personas.store_a)
        # when the campaign is launched
        result = campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        # then the leads go round the roster in its order, in the owners' order
        by_customer = {lead.customer_id: lead.consultant for lead in result.created}
        assert [by_customer[o.customer_id] for o in owners] == [c2, c1, c3, c2, c1]
        # and the walk-in rotation is untouched
        assert not Assignment.objects.exists()
        assert roster_next_up(store=personas.store_a) == next_before == c2
        # and the next campaign continues the campaign rotation where it stopped
        more = [f"新车主{i},1501234{i:04d},英朗,{months_ago(59, day=10 + i):%Y-%m-%d},," for i in range(2)]
        assert import_csv(personas, csv_file(*more)).ok
        second = campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        assert [lead.consultant for lead in second.created] == [c3, c2]

    def test_without_a_roster_every_consultant_of_the_store_takes_a_turn(self, personas, yinglang):
        users = consultants(personas, 2)
        due_owners(personas, 4)
        result = campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        assert sorted(result.by_consultant.values()) == [2, 2]
        assert set(result.by_consultant) == {u.pk for u in users}

    def test_seller_rule_gives_the_lead_back_to_the_seller_while_he_is_a_consultant(self, personas, yinglang):
        # given the store's rule "back to the seller", a seller still a consultant and one who left
        c1, c2 = consultants(personas, 2)
        left = UserFactory(username="left_consultant")
        membership = MembershipFactory(user=left, store=personas.store_a, role_code="consultant")
        FrontDeskSettings.objects.create(store=personas.store_a, distribution_rule="seller")
        set_roster(personas, [c1, c2])
        owners = due_owners(personas, 4, sold_by=[c2, left])
        membership.is_active = False
        membership.save()
        # when launched
        campaign = new_campaign(personas)
        result = campaign_launch(campaign=campaign, user=personas.sales_manager)
        # then c2's customers go back to c2; the departed seller's go round the roster
        by_customer = {lead.customer_id: lead.consultant for lead in result.created}
        assert [by_customer[o.customer_id] for o in owners] == [c2, c1, c2, c2]
        campaign.refresh_from_db()
        assert campaign.distribution == Campaign.Distribution.SELLER

    def test_launching_twice_does_not_duplicate(self, personas, yinglang):
        consultants(personas, 2)
        due_owners(personas, 3)
        campaign = new_campaign(personas)
        first = campaign_launch(campaign=campaign, user=personas.sales_manager)
        second = campaign_launch(campaign=campaign, user=personas.sales_manager)
        assert (len(first.created), len(second.created)) == (3, 0)
        assert Lead.objects.filter(campaign=campaign).count() == 3
        assert FollowUp.objects.filter(plan=INVITE_PLAN).count() == 3

    def test_an_owner_with_an_open_lead_keeps_it(self, personas, yinglang, open_lead):
        owners = due_owners(personas, 2)
        existing = open_lead(customer=owners[0].customer)
        result = campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        assert [lead.customer_id for lead in result.created] == [owners[1].customer_id]
        assert Lead.objects.filter(customer=owners[0].customer).get() == existing

    def test_create_validates_and_only_managers_create_or_launch(self, personas, yinglang):
        with pytest.raises(ValidationError) as exc:
            campaign_create(
                store=personas.store_a,
                user=personas.sales_manager,
                name="",
                talking_points="",
                due_from=today(),
                due_to=today() - dt.timedelta(days=1),
                visit_on=today(),
            )
        assert set(exc.value.message_dict) == {"name", "talking_points", "due_to", "visit_on"}
        with pytest.raises(PermissionDenied):
            new_campaign(personas, user=personas.consultant)
        campaign = new_campaign(personas, user=personas.showroom_manager)
        with pytest.raises(PermissionDenied):
            campaign_launch(campaign=campaign, user=personas.consultant)
        assert not Lead.objects.exists()


class TestBoughtElsewhere:
    def test_with_a_campaign_lead_the_lost_request_names_brand_and_model(self, personas, yinglang):
        consultants(personas, 1)
        owner = due_owners(personas, 1)[0]
        campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        lead = Lead.objects.get(customer=owner.customer)
        reason = lost_reasons_for(store=personas.store_a).first()
        # when the consultant reports the owner bought a Toyota
        owner_mark_bought_elsewhere(
            owner=owner, user=personas.consultant, brand="丰田", model="凯美瑞", reason_id=reason.pk
        )
        # then the owner is marked and a lost request waits for the showroom manager
        owner.refresh_from_db()
        assert owner.bought_elsewhere
        request = ApprovalRequest.objects.get(object_id=lead.pk, state=ApprovalRequest.State.PENDING)
        assert request.payload["competitor_brand"] == "丰田" and request.payload["competitor_model"] == "凯美瑞"
        lead.refresh_from_db()
        assert lead.state == Lead.State.NEW
        # and the lead is lost once the showroom manager approves
        approval_approve(request=request, user=personas.showroom_manager, note="属实")
        lead.refresh_from_db()
        assert (lead.state, lead.lost_competitor_brand, lead.lost_competitor_model) == ("lost", "丰田", "凯美瑞")
        # and no campaign selects him again
        again = campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        assert again.created == []

    def test_without_a_reason_the_request_is_refused_and_nothing_changes(self, personas, yinglang):
        consultants(personas, 1)
        owner = due_owners(personas, 1)[0]
        campaign_launch(campaign=new_campaign(personas), user=personas.sales_manager)
        with pytest.raises(ValidationError) as exc:
            owner_mark_bought_elsewhere(owner=owner, user=personas.sales_manager, brand="丰田", model="凯美瑞")
        assert set(exc.value.message_dict) == {"reason_id"}
        owner.refresh_from_db()
        assert not owner.bought_elsewhere
        assert not ApprovalRequest.objects.exists()

    def test_without_a_lead_the_owner_is_only_marked_and_a_consultant_may_not(self, personas, yinglang):
        owner = due_owners(personas, 1)[0]
        with pytest.raises(PermissionDenied):
            owner_mark_bought_elsewhere(owner=owner, user=personas.consultant, brand="丰田", model="凯美瑞")
        owner_mark_bought_elsewhere(owner=owner, user=personas.sales_manager, brand="丰田", model="凯美瑞")
        owner.refresh_from_db()
        assert owner.bought_elsewhere and not ApprovalRequest.objects.exists()
