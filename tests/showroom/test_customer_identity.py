"""Customer identity: one customer per mobile number in a store (E.164), the consultant who first
registers a customer owns them for a protection period renewed by each contact, a returning
customer goes to the owner (a stand-in when the owner is away, who is told), a colleague asks a
manager for a customer, lapsed customers return to the pool, and duplicates are merged with
everything they own."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from leads.models import Lead
from showroom import roles as r
from showroom.models import (
    ApprovalRequest,
    Assignment,
    Customer,
    CustomerMerge,
    FollowUp,
    FrontDeskSettings,
    Notification,
    OwnershipEvent,
    RosterEntry,
    Visit,
)
from showroom.selectors.customers import customer_find_by_mobile, customer_owner_live
from showroom.selectors.duplicates import customer_duplicates, mobiles_similar
from showroom.selectors.roster import roster_next_up
from showroom.services.approvals import approval_approve
from showroom.services.customer_merge import customer_duplicate_dismiss, customer_merge
from showroom.services.customers import customer_create, customer_update
from showroom.services.followups import followup_plan_schedule
from showroom.services.ownership import (
    customer_contact_record,
    customer_owner_assign,
    customer_transfer_request,
    customers_ownership_lapse,
)
from showroom.services.roster import roster_assign, roster_set, roster_status_set
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory, MembershipFactory, StoreFactory, UserFactory
from tests.showroom.test_frontdesk import NOW, frozen, walk_in  # noqa: F401  (frozen: autouse clock)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(personas):
    """A second consultant of store A."""
    user = UserFactory(username="a_consultant_2", first_name="钱七")
    MembershipFactory(user=user, store=personas.store_a, role_code=r.CONSULTANT)
    return user


def owned_customer(personas, consultant=None, **fields) -> Customer:
    """A customer registered by a consultant, who owns them from now."""
    fields.setdefault("name", "老客户")
    fields.setdefault("mobile", "13812345678")
    return customer_create(user=consultant or personas.consultant, store=personas.store_a, consent_given=True, **fields)


def roster(personas, *consultants):
    return roster_set(
        store=personas.store_a, day=NOW.date(), consultants=list(consultants), user=personas.showroom_manager
    )


# --- one customer per person ------------------------------------------------------------------


class TestOneCustomerPerNumber:
    def test_numbers_are_stored_in_e164_and_found_however_typed(self, personas):
        # given a customer registered as "138-1234-5678"
        customer = owned_customer(personas, mobile="138-1234-5678")
        # then
        assert customer.mobile == "+8613812345678"
        for typed in ("13812345678", "+86 138 1234 5678", "(138)12345678"):
            assert customer_find_by_mobile(store=personas.store_a, mobile=typed) == customer
        assert customer_find_by_mobile(store=personas.store_b, mobile="13812345678") is None
        assert customer_find_by_mobile(store=personas.store_a, mobile="12345") is None

    def test_a_second_customer_with_a_known_number_is_refused_naming_the_owner(self, personas):
        # given 老客户 owned by the consultant
        owned_customer(personas)
        # when the receptionist registers the number again by hand
        with pytest.raises(ValidationError) as refused:
            customer_create(
                user=personas.receptionist,
                store=personas.store_a,
                name="另一个",
                mobile="13812345678",
                consent_given=True,
            )
        # then the field error names the customer and the owner; nothing was written
        message = refused.value.message_dict["mobile"][0]
        assert "老客户" in message and personas.consultant.get_full_name() in message
        assert Customer.objects.count() == 1

    def test_changing_a_number_to_a_taken_one_is_refused(self, personas):
        owned_customer(personas)
        other = CustomerFactory(store=personas.store_a, mobile="13900000000")
        with pytest.raises(ValidationError) as refused:
            customer_update(user=personas.consultant, customer=other, mobile="138 1234 5678")
        assert "mobile" in refused.value.message_dict
        other.refresh_from_db()
        assert other.mobile == "+8613900000000"

    def test_the_api_answers_a_known_number_with_400_and_the_field(self, personas, api):
        owned_customer(personas)
        response = api(personas.receptionist).post(
            "/api/v1/core/customers/",
            {"store": personas.store_a.pk, "name": "另一个", "mobile": "13812345678", "consent_given": True},
            format="json",
        )
        assert response.status_code == 400
        assert "老客户" in response.json()["fields"]["mobile"][0]

    def test_the_database_refuses_a_second_row_with_the_same_number(self, personas):
        CustomerFactory(store=personas.store_a, mobile="13812345678")
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            CustomerFactory(store=personas.store_a, mobile="+8613812345678")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_two_desks_registering_one_number_at_once_make_one_customer():
    # given two front desks typing the same new number at the same moment
    from showroom.reference import ensure_reference_data
    from tests.conftest import Personas

    ensure_reference_data()
    personas = Personas()
    barrier = threading.Barrier(2)
    outcomes = []

    def register(name):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            customer_create(
                user=personas.receptionist, store=personas.store_a, name=name, mobile="13812345678", consent_given=True
            )
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["mobile"][0])
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one customer, and the other desk got a clear field error
    assert outcomes.count("created") == 1 and len(outcomes) == 2
    assert Customer.objects.filter(mobile="+8613812345678").count() == 1


# --- ownership --------------------------------------------------------------------------------


class TestOwnership:
    def test_the_registering_consultant_owns_the_customer_for_the_stores_period(self, personas):
        customer = owned_customer(personas)
        assert customer.owner == personas.consultant
        assert customer.owned_until == NOW + dt.timedelta(days=30)
        event = OwnershipEvent.objects.get(customer=customer)
        assert (event.kind, event.to_user) == ("claimed", personas.consultant)

    def test_a_receptionists_registration_is_owned_by_the_consultant_who_takes_the_walk_in(self, personas):
        # given a roster and a new walk-in registered by the receptionist
        roster(personas, personas.consultant)
        visit = walk_in(personas, customer_mobile="13912345678", customer_name="赵六", customer_consent=True)
        assert visit.customer.owner is None
        # when the desk assigns the walk-in in turn
        roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        # then the consultant owns the customer
        visit.customer.refresh_from_db()
        assert visit.customer.owner == personas.consultant

    def test_the_protection_period_is_set_per_store(self, personas):
        FrontDeskSettings.objects.create(store=personas.store_a, ownership_days=10)
        customer = owned_customer(personas)
        assert customer.owned_until == NOW + dt.timedelta(days=10)

    def test_ownership_lapses_after_the_period_and_a_contact_renews_it(self, personas, frozen):  # noqa: F811  (frozen: the traveller)
        # given a customer owned from NOW for 30 days
        customer = owned_customer(personas)
        # when a contact is recorded on day 20
        frozen.shift(dt.timedelta(days=20))
        customer_contact_record(customer=customer, at=NOW + dt.timedelta(days=20))
        customer.refresh_from_db()
        # then the protection runs 30 days from that contact
        assert customer.owned_until == NOW + dt.timedelta(days=50)
        # when day 49 passes, the lapse job leaves him alone
        frozen.shift(dt.timedelta(days=29))
        assert customers_ownership_lapse(store=personas.store_a) == 0
        customer.refresh_from_db()
        assert customer.owner == personas.consultant
        # when day 51 passes without a contact
        frozen.shift(dt.timedelta(days=2))
        assert customers_ownership_lapse(store=personas.store_a) == 1
        # then he is back in the pool, the lapse recorded and the former owner told
        customer.refresh_from_db()
        assert (customer.owner, customer.owned_until) == (None, None)
        assert OwnershipEvent.objects.filter(customer=customer, kind="lapsed", from_user=personas.consultant).exists()
        assert Notification.objects.filter(user=personas.consultant, key__startswith="customers.lapsed").exists()
        # and running the job again changes nothing
        assert customers_ownership_lapse(store=personas.store_a) == 0

    def test_the_lapse_is_a_registered_per_store_job(self):
        from showroom.registry import scheduled_jobs

        assert "customers.ownership_lapse" in {job.code for job in scheduled_jobs()}

    def test_a_manager_reassigns_a_pool_customer_and_a_consultant_may_not(
        self,
        personas,
        colleague,
        frozen,  # noqa: F811  (the traveller)
        django_capture_on_commit_callbacks,
    ):
        customer = owned_customer(personas)
        frozen.shift(dt.timedelta(days=31))
        customers_ownership_lapse(store=personas.store_a)
        with pytest.raises(PermissionDenied):
            customer_owner_assign(customer=customer, user=personas.consultant, consultant=colleague, reason="我来跟")
        with pytest.raises(ValidationError) as refused:
            customer_owner_assign(customer=customer, user=personas.showroom_manager, consultant=colleague, reason="")
        assert "reason" in refused.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            customer_owner_assign(
                customer=customer, user=personas.showroom_manager, consultant=colleague, reason="均衡"
            )
        customer.refresh_from_db()
        assert customer_owner_live(customer=customer) == colleague
        assert Notification.objects.filter(user=colleague, key__startswith="customers.owner:").exists()

    def test_a_manager_of_another_store_cannot_reassign(self, personas, colleague):
        customer = owned_customer(personas)
        with pytest.raises(PermissionDenied):
            customer_owner_assign(customer=customer, user=personas.b_manager, consultant=colleague, reason="x")


class TestReturningCustomerAtTheFrontDesk:
    def test_a_known_mobile_links_the_customer_and_assigns_the_owner_not_the_next_up(self, personas, colleague):
        # given the colleague is next up on the roster, and 老客户 is owned by the consultant
        roster(personas, colleague, personas.consultant)
        customer = owned_customer(personas)
        assert roster_next_up(store=personas.store_a) == colleague
        # when the receptionist logs a walk-in with the customer's number
        visit = walk_in(personas, customer_mobile="138 1234 5678", first_visit=False)
        # then the visit is the known customer's and goes to the owner
        assert visit.customer == customer
        assert Customer.objects.filter(store=personas.store_a).count() == 1
        visit.refresh_from_db()
        assert visit.consultant == personas.consultant
        assignment = Assignment.objects.get(visit=visit)
        assert (assignment.kind, assignment.counts_for_fairness) == ("owner", False)
        # and the roster's turn did not move: the colleague is still next for a new customer
        assert roster_next_up(store=personas.store_a) == colleague
        # and the visit renewed the protection
        customer.refresh_from_db()
        assert customer.last_contact_at == NOW

    def test_another_consultant_cannot_be_chosen_while_the_owner_is_on_duty(self, personas, colleague):
        roster(personas, colleague, personas.consultant)
        owned_customer(personas)
        with pytest.raises(ValidationError) as refused:
            walk_in(personas, customer_mobile="13812345678", consultant=colleague)
        assert "consultant" in refused.value.message_dict
        assert not Visit.objects.exists()

    def test_when_the_owner_is_away_a_stand_in_serves_and_the_owner_is_told(
        self, personas, colleague, django_capture_on_commit_callbacks
    ):
        # given the owner is away today
        day_roster = roster(personas, personas.consultant, colleague)
        owned_customer(personas)
        roster_status_set(
            entry=day_roster.entries.get(consultant=personas.consultant),
            status=RosterEntry.Status.AWAY,
            user=personas.consultant,
        )
        # when the customer walks in, nobody is assigned at once; the desk assigns in turn
        visit = walk_in(personas, customer_mobile="13812345678")
        assert visit.consultant is None
        with django_capture_on_commit_callbacks(execute=True):
            roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        # then the colleague stands in, takes no turn, the owner keeps the customer and is told
        visit.refresh_from_db()
        assert visit.consultant == colleague
        assignment = Assignment.objects.get(visit=visit, kind="stand_in")
        assert assignment.counts_for_fairness is False
        assert visit.customer.owner == personas.consultant
        assert OwnershipEvent.objects.filter(kind="stand_in", from_user=personas.consultant, to_user=colleague).exists()
        assert Notification.objects.filter(user=personas.consultant, key__startswith="customers.stand_in").exists()

    def test_the_receptionist_may_choose_the_stand_in_when_the_owner_is_not_on_the_roster(self, personas, colleague):
        roster(personas, colleague)
        owned_customer(personas)
        visit = walk_in(personas, customer_mobile="13812345678", consultant=colleague)
        assert Assignment.objects.get(visit=visit).kind == "stand_in"

    def test_the_lookup_shows_the_owner_while_the_number_is_typed(self, personas, web):
        roster(personas, personas.consultant)
        owned_customer(personas)
        page = web(personas.receptionist).get("/frontdesk/visits/lookup/", {"customer_mobile": "138 1234 5678"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "老客户" in text and personas.consultant.get_full_name() in text
        assert 'data-testid="lookup-owner"' in text
        new = web(personas.receptionist).get("/frontdesk/visits/lookup/", {"customer_mobile": "13900000000"})
        assert 'data-testid="lookup-new"' in new.content.decode()
        assert web(personas.consultant).get("/frontdesk/visits/lookup/", {"customer_mobile": "1"}).status_code == 403


class TestLeadsAndOwnership:
    def test_a_colleague_cannot_open_a_lead_for_an_owned_customer(self, personas, colleague):
        from leads.services import lead_create

        customer = owned_customer(personas)
        with pytest.raises(ValidationError) as refused:
            lead_create(user=colleague, store=personas.store_a, customer=customer)
        assert personas.consultant.get_full_name() in refused.value.message_dict["customer"][0]
        assert not Lead.objects.exists()
        # the owner may
        lead = lead_create(user=personas.consultant, store=personas.store_a, customer=customer)
        assert lead.consultant == personas.consultant

    def test_a_lead_contact_renews_the_protection(self, personas, frozen):  # noqa: F811  (frozen: the traveller)
        from leads.services import lead_contact_record, lead_create

        customer = owned_customer(personas)
        lead = lead_create(user=personas.consultant, store=personas.store_a, customer=customer)
        frozen.shift(dt.timedelta(days=25))
        lead_contact_record(lead=lead, user=personas.consultant, kind="call", summary="约周末到店")
        customer.refresh_from_db()
        assert customer.owned_until == NOW + dt.timedelta(days=55)


class TestTransferRequest:
    def test_a_colleague_asks_and_the_showroom_manager_decides(self, personas, colleague):
        # given 老客户 owned by the consultant; the colleague says he met the customer first
        customer = owned_customer(personas)
        request = customer_transfer_request(customer=customer, user=colleague, reason="上周是我接待的")
        assert request.kind == "customers.ownership_transfer"
        assert request.routed_role.code == r.SHOWROOM_MANAGER
        # a second request while the first waits is refused
        with pytest.raises(TransitionConflict):
            customer_transfer_request(customer=customer, user=colleague, reason="再问一次")
        # when the showroom manager approves
        approval_approve(request=request, user=personas.showroom_manager, note="来店记录为证")
        # then the colleague owns the customer, and the record says who decided
        customer.refresh_from_db()
        assert customer_owner_live(customer=customer) == colleague
        event = OwnershipEvent.objects.get(customer=customer, kind="transferred")
        assert (event.from_user, event.to_user, event.by) == (personas.consultant, colleague, personas.showroom_manager)

    def test_the_owner_cannot_ask_for_his_own_customer_nor_a_receptionist(self, personas):
        customer = owned_customer(personas)
        with pytest.raises(TransitionConflict):
            customer_transfer_request(customer=customer, user=personas.consultant, reason="x")
        with pytest.raises(PermissionDenied):
            customer_transfer_request(customer=customer, user=personas.receptionist, reason="x")

    def test_a_consultant_cannot_decide_a_transfer(self, personas, colleague):
        customer = owned_customer(personas)
        request = customer_transfer_request(customer=customer, user=colleague, reason="是我的")
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.consultant)
        assert ApprovalRequest.objects.get(pk=request.pk).state == "pending"

    def test_in_a_property_store_the_sales_manager_decides(self):
        store = StoreFactory(code="prop", kind="property")
        owner, other, sales_manager = UserFactory(), UserFactory(), UserFactory()
        for user, role in ((owner, r.CONSULTANT), (other, r.CONSULTANT), (sales_manager, r.SALES_MANAGER)):
            MembershipFactory(user=user, store=store, role_code=role)
        customer = customer_create(user=owner, store=store, name="买房人", mobile="13700000000", consent_given=True)
        request = customer_transfer_request(customer=customer, user=other, reason="我先接待")
        assert (request.kind, request.routed_role.code) == ("customers.ownership_transfer_property", r.SALES_MANAGER)
        approval_approve(request=request, user=sales_manager)
        customer.refresh_from_db()
        assert customer.owner == other

    def test_the_page_offers_the_request_to_a_colleague_only(self, personas, colleague, web):
        customer = owned_customer(personas)
        url = f"/customers/{customer.pk}/"
        assert 'data-testid="transfer-form"' in web(colleague).get(url).content.decode()
        assert 'data-testid="transfer-form"' not in web(personas.consultant).get(url).content.decode()
        response = web(colleague).post(f"/customers/{customer.pk}/transfer/", {"reason": "我接待过"})
        assert response.status_code == 302
        assert ApprovalRequest.objects.filter(kind="customers.ownership_transfer", requester=colleague).exists()


# --- duplicates and merge ---------------------------------------------------------------------


def test_similar_numbers_are_one_or_two_digits_apart():
    assert mobiles_similar("+8613812345678", "+8613812345679")
    assert mobiles_similar("+8613812345678", "+8613812346578")  # two neighbours swapped
    assert not mobiles_similar("+8613812345678", "+8613900000000")


class TestDuplicates:
    def test_the_list_finds_name_and_similar_number_id_number_and_plate(self, personas):
        # given three kinds of likely duplicates and a pair of namesakes with unrelated numbers
        a1 = CustomerFactory(store=personas.store_a, name="王伟", mobile="13812345678")
        a2 = CustomerFactory(store=personas.store_a, name="王伟", mobile="13812345679")
        CustomerFactory(store=personas.store_a, name="李娜", mobile="13700000000")
        CustomerFactory(store=personas.store_a, name="李娜", mobile="15900000001")
        b1 = CustomerFactory(store=personas.store_a, name="张三", id_number="11010519491231002X")
        b2 = CustomerFactory(store=personas.store_a, name="张叁", id_number="11010519491231002X")
        c1 = CustomerFactory(store=personas.store_a, name="赵六")
        c2 = CustomerFactory(store=personas.store_a, name="孙七")
        walk_in(personas, customer=c1, licence_plate="沪A12345")
        walk_in(personas, customer=c2, licence_plate="沪A12345")
        CustomerFactory(store=personas.store_b, name="王伟", mobile="13812345670")  # another store
        # when
        pairs = {(p.first.pk, p.second.pk): p.reasons for p in customer_duplicates(user=personas.showroom_manager)}
        # then
        assert pairs == {
            (c1.pk, c2.pk): ["plate"],
            (b1.pk, b2.pk): ["id_number"],
            (a1.pk, a2.pk): ["name_mobile"],
        }
        assert customer_duplicates(user=personas.consultant) == []  # managers only

    def test_a_dismissed_pair_leaves_the_list(self, personas):
        a1 = CustomerFactory(store=personas.store_a, name="王伟", mobile="13812345678")
        a2 = CustomerFactory(store=personas.store_a, name="王伟", mobile="13812345679")
        customer_duplicate_dismiss(user=personas.showroom_manager, first=a2, second=a1)
        assert customer_duplicates(user=personas.showroom_manager) == []


@pytest.fixture
def duplicate_pair(personas, colleague):
    """王伟 twice: the survivor with a lead, a visit and a follow-up; the duplicate with its own
    lead (open too), visits, a follow-up, an approval request and ownership history."""
    from leads.services import lead_create

    survivor = owned_customer(personas, name="王伟", mobile="13812345678")
    duplicate = owned_customer(personas, consultant=colleague, name="王伟", mobile="13812345679")
    lead_create(user=personas.consultant, store=personas.store_a, customer=survivor)
    lead_create(user=colleague, store=personas.store_a, customer=duplicate)
    walk_in(personas, customer=survivor)
    walk_in(personas, customer=duplicate)
    walk_in(personas, customer=duplicate)
    followup_plan_schedule(
        plan_code="leads.grade.B",
        target=duplicate,
        store=personas.store_a,
        assignee=colleague,
        due_at=NOW + dt.timedelta(days=1),
        kind=FollowUp.Kind.CALL,
        title="回访",
        created_by=colleague,
    )
    customer_transfer_request(customer=survivor, user=colleague, reason="同一个人")
    return survivor, duplicate


def _counts():
    return {
        "leads": Lead.objects.count(),
        "visits": Visit.objects.count(),
        "followups": FollowUp.objects.count(),
        "approvals": ApprovalRequest.objects.count(),
        "events": OwnershipEvent.objects.count(),
    }


class TestMerge:
    def test_a_merge_moves_every_related_record_and_leaves_counts_unchanged(self, personas, duplicate_pair):
        survivor, duplicate = duplicate_pair
        before = _counts()
        duplicate_pk = duplicate.pk
        # when the manager merges
        merge = customer_merge(user=personas.showroom_manager, survivor=survivor, duplicate=duplicate, reason="同一人")
        # then nothing points at the duplicate any more, and nothing was lost
        assert not Customer.objects.filter(pk=duplicate_pk).exists()
        after = _counts()
        assert after["events"] == before["events"] + 1  # the merge itself
        assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
        assert Lead.objects.filter(customer=survivor).count() == 2
        assert Visit.objects.filter(customer=survivor).count() == 3
        assert FollowUp.objects.filter(object_id=survivor.pk, title="回访").exists()
        # only one lead stays open; the duplicate's went dormant with a note
        assert Lead.objects.filter(customer=survivor, state__in=Lead.OPEN_STATES).count() == 1
        assert Lead.objects.filter(customer=survivor, state="dormant").count() == 1
        # the merge explains itself
        assert merge.duplicate_id == duplicate_pk
        assert merge.duplicate_data["mobile"] == "+8613812345679"
        assert merge.moved["leads.Lead"] == 1 and merge.moved["showroom.Visit"] == 2
        assert merge.moved["showroom.FollowUp"] >= 1
        survivor.refresh_from_db()
        assert "13812345679" in survivor.notes
        assert CustomerMerge.objects.filter(survivor=survivor).count() == 1

    def test_merging_is_refused_across_stores_the_manager_does_not_manage(self, personas):
        a = CustomerFactory(store=personas.store_b, name="王伟", mobile="13812345678")
        b = CustomerFactory(store=personas.store_b, name="王伟", mobile="13812345679")
        with pytest.raises(PermissionDenied):
            customer_merge(user=personas.showroom_manager, survivor=a, duplicate=b, reason="同一人")
        assert Customer.objects.filter(pk__in=[a.pk, b.pk]).count() == 2

    def test_customers_of_two_stores_are_never_merged(self, personas):
        manager = UserFactory()
        for store in (personas.store_a, personas.store_b):
            MembershipFactory(user=manager, store=store, role_code=r.SHOWROOM_MANAGER)
        a = CustomerFactory(store=personas.store_a, mobile="13812345678")
        b = CustomerFactory(store=personas.store_b, mobile="13812345678")
        with pytest.raises(ValidationError):
            customer_merge(user=manager, survivor=a, duplicate=b, reason="同一人")
        assert Customer.objects.count() == 2

    def test_a_consultant_cannot_merge_and_a_reason_is_needed(self, personas, duplicate_pair):
        survivor, duplicate = duplicate_pair
        with pytest.raises(PermissionDenied):
            customer_merge(user=personas.consultant, survivor=survivor, duplicate=duplicate, reason="同一人")
        with pytest.raises(ValidationError):
            customer_merge(user=personas.showroom_manager, survivor=survivor, duplicate=duplicate, reason=" ")
        assert Customer.objects.filter(pk=duplicate.pk).exists()

    def test_the_api_merges_and_answers_404_for_another_stores_customer(self, personas, api, duplicate_pair):
        survivor, duplicate = duplicate_pair
        other = CustomerFactory(store=personas.store_b)
        client = api(personas.showroom_manager)
        refused = client.post(
            "/api/v1/core/customers/merge/",
            {"survivor": survivor.pk, "duplicate": other.pk, "reason": "x"},
            format="json",
        )
        assert refused.status_code == 404
        done = client.post(
            "/api/v1/core/customers/merge/",
            {"survivor": survivor.pk, "duplicate": duplicate.pk, "reason": "同一人"},
            format="json",
        )
        assert done.status_code == 200, done.json()
        assert done.json()["moved"]["leads.Lead"] == 1

    def test_the_duplicates_page_merges_after_a_confirmation(self, personas, web, duplicate_pair):
        survivor, duplicate = duplicate_pair
        client = web(personas.showroom_manager)
        page = client.get("/customers/duplicates/").content.decode()
        assert 'data-testid="duplicate-pair"' in page and 'data-confirm="' in page
        response = client.post(
            "/customers/merge/",
            {"first": survivor.pk, "second": duplicate.pk, "survivor": survivor.pk, "reason": "电话确认同一人"},
        )
        assert response.status_code == 302 and response.url == f"/customers/{survivor.pk}/"
        assert not Customer.objects.filter(pk=duplicate.pk).exists()
        assert web(personas.consultant).get("/customers/duplicates/").status_code == 403


def test_the_new_lead_form_shows_who_owns_a_customer_found_by_number(personas, colleague, web):
    # given 老客户 owned by the consultant
    owned_customer(personas)
    # when the colleague looks the number up on the new-lead form
    page = web(colleague).get("/leads/new/", {"mobile": "5678"}).content.decode()
    # then he sees the owner and the way to ask for the customer
    assert 'data-testid="owner-badge"' in page and personas.consultant.get_full_name() in page
    assert 'data-testid="ask-owner"' in page
    # the owner himself is not offered to ask for his own customer
    assert (
        'data-testid="ask-owner"'
        not in web(personas.consultant).get("/leads/new/", {"mobile": "5678"}).content.decode()
    )
