"""Versioned subscription-agreement and contract texts: drafted by the sales manager, approved by
the marketing director then the general manager, in force from their date; a subscription and a
contract keep the version in force when they were made, and their PDFs print its clauses."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realestate import services
from realestate.models import AgreementTemplate, Contract
from realestate.selectors.agreements import agreement_template_current
from showroom.models import ApprovalRequest, Document
from showroom.registry import document_type
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.documents import document_context
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db
SUB = AgreementTemplate.Kind.SUBSCRIPTION
CON = AgreementTemplate.Kind.CONTRACT


def _draft(personas, project, *, kind=SUB, body="第一条 甲方同意认购。\n\n第二条 定金不予退还。", days=0):
    return services.agreement_template_create(
        user=personas.sales_manager,
        project=project,
        kind=kind,
        title="认购协议书" if kind == SUB else "商品房买卖合同",
        body=body,
        effective_from=timezone.localdate() + dt.timedelta(days=days),
    )


def _approve(personas, template):
    services.agreement_template_submit(user=personas.sales_manager, template=template)
    request = ApprovalRequest.objects.get(kind="realestate.price_change", object_id=template.pk)
    approval_approve(request=request, user=personas.marketing_director)
    assert AgreementTemplate.objects.get(pk=template.pk).state == AgreementTemplate.State.PENDING
    approval_approve(request=ApprovalRequest.objects.get(pk=request.pk), user=personas.general_manager)
    return AgreementTemplate.objects.get(pk=template.pk)


def _buyer(personas, n):
    return CustomerFactory(store=personas.store_a, name=f"买家{n}", mobile=f"+861381234{n:04d}")


def _sa_html(sub) -> str:
    document = Document.objects.get(doc_type="realestate.agreement", object_id=sub.pk)
    entry = document_type("realestate.agreement")
    return render_to_string(f"pdf/{entry.template}", document_context(document=document, entry=entry, target=sub))


class TestVersions:
    def test_versions_are_numbered_per_kind_and_need_both_approvals(self, personas, site):
        project = site["project"]
        v1 = _draft(personas, project)
        c1 = _draft(personas, project, kind=CON)
        v2 = _draft(personas, project)
        assert [(t.kind, t.version) for t in (v1, c1, v2)] == [(SUB, 1), (CON, 1), (SUB, 2)]
        approved = _approve(personas, v1)
        assert approved.state == AgreementTemplate.State.APPROVED and approved.approved_at is not None
        assert approved.clauses == ["第一条 甲方同意认购。", "第二条 定金不予退还。"]
        request = ApprovalRequest.objects.get(object_id=approved.pk, kind="realestate.price_change")
        assert [d.role.code for d in request.decisions.all()] == ["marketing_director", "general_manager"]

    def test_a_rejected_version_is_never_used(self, personas, site, buyer):
        project = site["project"]
        draft = _draft(personas, project)
        services.agreement_template_submit(user=personas.sales_manager, template=draft)
        request = ApprovalRequest.objects.get(kind="realestate.price_change", object_id=draft.pk)
        approval_reject(request=request, user=personas.marketing_director, note="条款需法务审核")
        assert AgreementTemplate.objects.get(pk=draft.pk).state == AgreementTemplate.State.REJECTED
        sub = subscribe_through(personas, site["units"][0], buyer)
        assert sub.agreement_template is None

    def test_an_unapproved_version_is_never_used(self, personas, site, buyer):
        project = site["project"]
        pending = _draft(personas, project)
        services.agreement_template_submit(user=personas.sales_manager, template=pending)
        _draft(personas, project)  # a draft, never sent
        sub = subscribe_through(personas, site["units"][0], buyer)
        assert sub.agreement_template_id is None
        assert agreement_template_current(project_id=project.pk, kind=SUB) is None
        assert "第一条" not in _sa_html(sub)

    def test_a_new_version_affects_only_subscriptions_after_its_approval_and_date(self, personas, site):
        project, units = site["project"], site["units"]
        v1 = _approve(personas, _draft(personas, project, body="第一条 旧条款。"))
        before = subscribe_through(personas, units[0], _buyer(personas, 1))
        assert before.agreement_template == v1
        # v2 approved today but effective tomorrow: today's subscription still takes v1
        v2 = _approve(personas, _draft(personas, project, body="第一条 新条款。", days=1))
        same_day = subscribe_through(personas, units[1], _buyer(personas, 2))
        assert same_day.agreement_template == v1
        # tomorrow v2 is in force for new subscriptions; the earlier ones keep v1
        tomorrow = timezone.now() + dt.timedelta(days=1)
        after = services.subscription_create(
            user=personas.consultant,
            unit=units[2],
            customer=_buyer(personas, 3),
            payment_method="full",
            deposit="50000",
            now=tomorrow,
        )
        assert after.agreement_template == v2
        before.refresh_from_db()
        assert before.agreement_template == v1
        # the SA PDF prints the clauses of the version the subscription used
        html = _sa_html(before)
        assert "第一条 旧条款。" in html and "新条款" not in html

    def test_the_contract_keeps_the_contract_text_in_force_when_drafted(self, personas, site, buyer):
        project = site["project"]
        c1 = _approve(personas, _draft(personas, project, kind=CON, body="第一条 出卖人应按期交房。"))
        sub = subscribe_through(personas, site["units"][0], buyer)
        contract = services.contract_create(
            user=personas.sales_assistant,
            subscription=sub,
            schedule=[{"kind": "full_payment", "amount": sub.total_price, "due_on": timezone.localdate()}],
        )
        _approve(personas, _draft(personas, project, kind=CON, body="第一条 改版。"))
        contract = Contract.objects.get(pk=contract.pk)
        assert contract.agreement_template == c1
        document = Document.objects.get(doc_type="realestate.contract", object_id=contract.pk)
        entry = document_type("realestate.contract")
        html = render_to_string(
            f"pdf/{entry.template}", document_context(document=document, entry=entry, target=contract)
        )
        assert "第一条 出卖人应按期交房。" in html and "改版" not in html


class TestRules:
    def test_bad_input_names_the_fields_and_writes_nothing(self, personas, site):
        with pytest.raises(ValidationError) as refused:
            services.agreement_template_create(
                user=personas.sales_manager,
                project=site["project"],
                kind="lease",
                title=" ",
                body="",
                effective_from=None,
            )
        assert set(refused.value.message_dict) == {"kind", "title", "body", "effective_from"}
        assert not AgreementTemplate.objects.exists()

    @pytest.mark.parametrize("role", ["consultant", "sales_assistant", "marketing_director", "general_manager"])
    def test_only_the_sales_manager_drafts(self, personas, site, role):
        with pytest.raises(PermissionDenied):
            services.agreement_template_create(
                user=getattr(personas, role),
                project=site["project"],
                kind=SUB,
                title="t",
                body="b",
                effective_from=timezone.localdate(),
            )

    def test_the_requester_cannot_approve_and_a_second_submit_is_409(self, personas, site):
        draft = _draft(personas, site["project"])
        services.agreement_template_submit(user=personas.sales_manager, template=draft)
        from showroom.services.transitions import TransitionConflict

        with pytest.raises(TransitionConflict):
            services.agreement_template_submit(user=personas.sales_manager, template=draft)
        request = ApprovalRequest.objects.get(object_id=draft.pk, kind="realestate.price_change")
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.sales_manager)


class TestPagesAndApi:
    def test_the_manager_drafts_and_sends_a_version_on_the_setup_page(self, personas, site, web):
        project = site["project"]
        client = web(personas.sales_manager)
        client.post(
            reverse("realestate:agreement_template_new", args=[project.pk]),
            {"kind": "contract", "title": "商品房买卖合同", "body": "第一条\n\n第二条", "effective_from": "2026-12-01"},
        )
        template = AgreementTemplate.objects.get(project=project)
        assert (template.kind, template.version, template.state) == ("contract", 1, "draft")
        page = client.get(reverse("realestate:setup", args=[project.pk])).content.decode()
        assert 'data-testid="text-submit-contract-1"' in page
        client.post(reverse("realestate:agreement_template_submit", args=[project.pk, template.pk]))
        assert AgreementTemplate.objects.get(pk=template.pk).state == "pending"

    def test_others_cannot_draft_and_another_store_is_404(self, personas, site, web):
        project = site["project"]
        data = {"kind": "subscription", "title": "t", "body": "b", "effective_from": "2026-12-01"}
        url = reverse("realestate:agreement_template_new", args=[project.pk])
        assert web(personas.consultant).post(url, data).status_code == 403
        assert web(personas.b_manager).post(url, data).status_code == 404
        assert not AgreementTemplate.objects.exists()

    def test_api_create_submit_and_list(self, personas, site, api):
        project = site["project"]
        client = api(personas.sales_manager)
        response = client.post(
            reverse("re-agreement-template-list"),
            {
                "project": project.pk,
                "kind": "subscription",
                "title": "认购协议书",
                "body": "第一条\n\n第二条",
                "effective_from": "2026-12-01",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["version"], body["state"], body["clauses"]) == (1, "draft", ["第一条", "第二条"])
        assert body["available_transitions"] == ["submit"]
        pk = body["id"]
        submitted = client.post(reverse("re-agreement-template-transitions", args=[pk, "submit"]), {}, format="json")
        assert submitted.status_code == 200 and submitted.json()["state"] == "pending"
        again = client.post(reverse("re-agreement-template-transitions", args=[pk, "submit"]), {}, format="json")
        assert again.status_code == 409
        bad = client.post(reverse("re-agreement-template-list"), {"project": project.pk}, format="json")
        assert bad.status_code == 400
        assert (
            api(personas.consultant)
            .post(
                reverse("re-agreement-template-list"),
                {
                    "project": project.pk,
                    "kind": "subscription",
                    "title": "x",
                    "body": "y",
                    "effective_from": "2026-12-01",
                },
                format="json",
            )
            .status_code
            == 403
        )
        assert api(personas.b_manager).get(reverse("re-agreement-template-detail", args=[pk])).status_code == 404
        assert (
            api(personas.b_manager)
            .post(
                reverse("re-agreement-template-list"),
                {
                    "project": project.pk,
                    "kind": "subscription",
                    "title": "x",
                    "body": "y",
                    "effective_from": "2026-12-01",
                },
                format="json",
            )
            .status_code
            == 404
        )

    def test_api_list_is_flat(self, personas, site, api):
        client = api(personas.sales_manager)
        url = reverse("re-agreement-template-list") + "?page_size=200"
        _draft(personas, site["project"])

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        few = count()
        for _i in range(8):
            _draft(personas, site["project"], kind=CON)
        # 1 session, 2 user, 3 memberships (the user's stores), 4 count, 5 the page with project
        assert few == count() == 5
