"""Documents: numbering, PDF rendering (Chinese text, copies, page numbers), issue → render after
commit, versions, download, the record's documents partial, API, timeline."""

import datetime as dt
import hashlib
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from showroom.models import Document, DocumentSequence
from showroom.pdf import render_pdf_document
from showroom.registry import DocumentType, register_document_type, unregister
from showroom.selectors.documents import documents_for, documents_source
from showroom.selectors.timeline import timeline_for
from showroom.services.documents import (
    UnknownDocumentType,
    document_issue,
    document_number_allocate,
    document_render,
    document_rerender,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OUTBOUND_COPIES = ("第一联 存根", "第二联 财务联", "第三联 客户联")


def _context(*, target):
    return {
        "fields": [("客户", target.name), ("手机", target.mobile)],
        "columns": ["品名", "数量", "金额"],
        "numeric_columns": [1, 2],
        "rows": [["汉兰达 2.0T 四驱", "1", "¥268,800.00"], ["原厂脚垫", "2", "¥1,200.00"]],
        "notes": "本单据一式多联，各联用途见页眉。",
        "signatures": ["经办人", "客户签字"],
    }


# Fake types for the tests; "ZZ…" prefixes, because the real prefixes (TS is the transfer slip)
# belong to the apps.
FAKE_TYPES = [
    DocumentType(code="ZZQ", prefix="ZZ", label="测试报价单", template="showroom/generic.html", context=_context),
    DocumentType(
        code="ZZOS",
        prefix="ZO",
        label="测试出库单",
        template="showroom/generic.html",
        copies=OUTBOUND_COPIES,
        context=_context,
    ),
    DocumentType(
        code="ZZVIP",
        prefix="ZV",
        label="测试VIP卡",
        template="showroom/generic.html",
        scope="project",
        yearly=False,
        scope_of=lambda *, target: f"project:{target.name}",
        context=_context,
    ),
    DocumentType(code="ZZG", prefix="ZG", label="global", template="showroom/generic.html", scope="global"),
    DocumentType(code="ZZBAD", prefix="ZB", label="broken", template="showroom/does-not-exist.html"),
]


@pytest.fixture(autouse=True)
def fake_types():
    for entry in FAKE_TYPES:
        register_document_type(entry)
    yield
    for entry in FAKE_TYPES:
        unregister("document_types", entry.code)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def eager_tasks():
    """Tasks sent with .delay() run in this process (the real task through Celery's apply)."""
    from showroom.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a, name="张三")


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def issue_and_render(personas, customer, doc_type="ZZQ", django_capture_on_commit_callbacks=None):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_issue(doc_type=doc_type, target=customer, store=personas.store_a, user=personas.consultant)
    document.refresh_from_db()
    return document


class TestNumbering:
    def test_two_stores_and_two_projects_each_issue_their_own_first_number(self, personas):
        # given two stores issuing the same store-numbered type, and two projects of one store
        from tests.factories import CustomerFactory

        a = document_issue(
            doc_type="ZZQ", target=CustomerFactory(store=personas.store_a), store=personas.store_a, user=None
        )
        b = document_issue(
            doc_type="ZZQ", target=CustomerFactory(store=personas.store_b), store=personas.store_b, user=None
        )
        p1 = document_issue(
            doc_type="ZZVIP", target=CustomerFactory(store=personas.store_a, name="甲"), store=personas.store_a
        )
        p2 = document_issue(
            doc_type="ZZVIP", target=CustomerFactory(store=personas.store_a, name="乙"), store=personas.store_a
        )
        # then each scope starts at one, and the same number lives in both
        assert a.number == b.number and a.scope != b.scope
        assert p1.number == p2.number == "ZV-000001" and (p1.scope, p2.scope) == ("project:甲", "project:乙")
        # and a new version of one number stays in its own scope
        again = document_rerender(document=b)
        assert (again.scope, again.version) == (b.scope, 2)
        assert Document.objects.filter(number=a.number, scope=a.scope).count() == 1

    def test_numbers_are_per_store_type_and_year_with_six_digits(self, personas):
        # given two stores
        # when numbers are allocated in each
        with transaction.atomic():
            a1 = document_number_allocate(doc_type="ZZQ", store=personas.store_a)
            a2 = document_number_allocate(doc_type="ZZQ", store=personas.store_a)
            b1 = document_number_allocate(doc_type="ZZQ", store=personas.store_b)
            o1 = document_number_allocate(doc_type="ZZOS", store=personas.store_a)
        # then each store and type counts on its own
        year = dt.datetime.now(SHANGHAI).year
        assert (a1, a2, b1, o1) == (
            f"ZZ-{year}-000001",
            f"ZZ-{year}-000002",
            f"ZZ-{year}-000001",
            f"ZO-{year}-000001",
        )
        assert DocumentSequence.objects.get(doc_type="ZZQ", scope=f"store:{personas.store_a.pk}").last_number == 2

    def test_the_year_is_the_shanghai_year_and_a_new_year_starts_at_one(self, personas):
        # given 31 December 16:30 UTC, which is already 1 January 00:30 in Shanghai
        new_year_utc = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)
        with transaction.atomic():
            last_of_2026 = document_number_allocate(
                doc_type="ZZQ", store=personas.store_a, on=dt.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
            )
            first_of_2027 = document_number_allocate(doc_type="ZZQ", store=personas.store_a, on=new_year_utc)
        # then it is numbered in 2027 from 1
        assert last_of_2026 == "ZZ-2026-000001"
        assert first_of_2027 == "ZZ-2027-000001"

    def test_a_project_type_without_year_has_one_sequence_per_project(self, personas):
        # given two targets in two projects (scope_of names the project)
        one, two = (
            CustomerFactory(store=personas.store_a, name="p1"),
            CustomerFactory(store=personas.store_a, name="p2"),
        )
        with transaction.atomic():
            numbers = [
                document_number_allocate(doc_type="ZZVIP", store=personas.store_a, target=one, on=dt.date(2025, 5, 1)),
                document_number_allocate(doc_type="ZZVIP", store=personas.store_a, target=one, on=dt.date(2026, 5, 1)),
                document_number_allocate(doc_type="ZZVIP", store=personas.store_b, target=two),
            ]
        # then the project's numbers run on across years, without a year in the number
        assert numbers == ["ZV-000001", "ZV-000002", "ZV-000001"]
        assert DocumentSequence.objects.get(scope="project:p1").year == 0

    def test_a_global_type_counts_across_stores(self, personas):
        with transaction.atomic():
            first = document_number_allocate(doc_type="ZZG", store=personas.store_a)
            second = document_number_allocate(doc_type="ZZG", store=personas.store_b)
        assert (first[-6:], second[-6:]) == ("000001", "000002")

    def test_a_rolled_back_record_gives_its_number_to_the_next_one(self, personas):
        # given a number allocated in a transaction that is rolled back
        class Boom(Exception):
            pass

        with pytest.raises(Boom), transaction.atomic():
            lost = document_number_allocate(doc_type="ZZQ", store=personas.store_a)
            raise Boom
        # when the next record is numbered
        with transaction.atomic():
            again = document_number_allocate(doc_type="ZZQ", store=personas.store_a)
        # then it gets the same number: no gap
        assert again == lost
        assert again.endswith("-000001")

    def test_an_unknown_type_is_an_error(self, personas):
        with pytest.raises(UnknownDocumentType), transaction.atomic():
            document_number_allocate(doc_type="NOPE", store=personas.store_a)

    def test_a_project_type_needs_a_target(self, personas):
        with pytest.raises(ValueError, match="per project"), transaction.atomic():
            document_number_allocate(doc_type="ZZVIP", store=personas.store_a)


class TestRendering:
    def test_chinese_text_renders_and_extracts_back(self, personas, customer):
        # given the generic template with Chinese content
        rendered = render_pdf_document(
            "pdf/showroom/generic.html",
            {
                **_context(target=customer),
                "store": personas.store_a,
                "title": "报价单",
                "number": "ZZ-2026-000001",
            },
        )
        # then the PDF is one page whose text is the Chinese text, not empty boxes
        assert rendered.content.startswith(b"%PDF")
        (text,) = pdf_pages_text(rendered.content)
        assert rendered.pages == 1
        for expected in ("报价单", "ZZ-2026-000001", "张三", "汉兰达 2.0T 四驱", "¥268,800.00", "客户签字"):
            assert expected in text
        # the letterhead: store name, address and phone
        assert personas.store_a.name in text
        assert "世纪大道" in text and "021-5000 0000" in text

    def test_a_three_copy_slip_has_one_page_per_copy_each_labelled(self, personas, customer):
        rendered = render_pdf_document(
            "pdf/showroom/generic.html",
            {
                **_context(target=customer),
                "store": personas.store_a,
                "title": "出库单",
                "number": "OS-2026-000007",
            },
            copies=OUTBOUND_COPIES,
        )
        pages = pdf_pages_text(rendered.content)
        assert rendered.pages == len(pages) == 3
        for page, label in zip(pages, OUTBOUND_COPIES, strict=True):
            assert label in page
            assert "OS-2026-000007" in page and "汉兰达" in page
            assert [other for other in OUTBOUND_COPIES if other != label and other in page] == []

    def test_a_long_copy_repeats_its_label_and_numbers_its_own_pages(self, personas, customer):
        # given a slip whose lines fill more than one page per copy
        context = {
            **_context(target=customer),
            "rows": [[f"物料{i:03d}", "1", "¥1.00"] for i in range(90)],
            "store": personas.store_a,
            "title": "出库单",
            "number": "OS-2026-000008",
        }
        rendered = render_pdf_document("pdf/showroom/generic.html", context, copies=OUTBOUND_COPIES[:2])
        pages = pdf_pages_text(rendered.content)
        # then every page of a copy carries that copy's label, and each copy is numbered 1..n
        with translation.override("zh-hans"):
            page_label = gettext("Page {page} of {pages}")
        per_copy = len(pages) // 2
        assert per_copy >= 2 and len(pages) == 2 * per_copy
        for index, page in enumerate(pages):
            assert OUTBOUND_COPIES[index // per_copy] in page
            assert page_label.format(page=index % per_copy + 1, pages=per_copy) in page

    def test_resources_outside_the_static_folders_are_not_fetched(self, tmp_path):
        from showroom.pdf import _allowed

        assert _allowed("data:image/png;base64,AAAA")
        assert not _allowed("file:///etc/passwd")
        assert not _allowed("http://127.0.0.1:6379/")


class TestIssueAndRender:
    def test_issuing_renders_after_commit(self, personas, customer, eager_tasks, django_capture_on_commit_callbacks):
        # given nothing rendered before the transaction commits
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            document = document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=personas.consultant)
            assert document.state == "pending"
        assert len(callbacks) == 1
        document.refresh_from_db()
        assert (document.state, document.file.name) == ("pending", "")
        # when the commit callbacks run (the task is sent, eager here)
        callbacks[0]()
        # then the document is ready, its file stored with its hash and page count
        document.refresh_from_db()
        assert document.state == "ready", document.error
        content = document.file.read()
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.pages == len(PdfReader(io.BytesIO(content)).pages) == 1
        assert document.file.name.startswith("documents/")
        assert document.rendered_at is not None
        assert (document.version, document.created_by) == (1, personas.consultant)
        assert document.target == customer
        assert document.number in pdf_pages_text(content)[0]

    def test_issue_inside_capture_execute_renders(
        self, personas, customer, eager_tasks, django_capture_on_commit_callbacks
    ):
        document = issue_and_render(personas, customer, "ZZOS", django_capture_on_commit_callbacks)
        assert document.state == "ready"
        assert document.pages == 3
        assert hashlib.sha256(document.file.read()).hexdigest() == document.sha256

    def test_a_rerender_is_version_2_and_keeps_version_1(
        self, personas, customer, eager_tasks, django_capture_on_commit_callbacks
    ):
        v1 = issue_and_render(personas, customer, "ZZQ", django_capture_on_commit_callbacks)
        v1_bytes = v1.file.read()
        with django_capture_on_commit_callbacks(execute=True):
            v2 = document_rerender(document=v1, user=personas.showroom_manager)
        v2.refresh_from_db()
        v1.refresh_from_db()
        assert (v2.number, v2.version, v2.state) == (v1.number, 2, "ready")
        assert v2.file.name != v1.file.name
        assert v1.file.read() == v1_bytes and hashlib.sha256(v1_bytes).hexdigest() == v1.sha256
        assert hashlib.sha256(v2.file.read()).hexdigest() == v2.sha256
        # a re-render of the old version continues after the newest one
        with django_capture_on_commit_callbacks(execute=False):
            v3 = document_rerender(document=v1, user=personas.showroom_manager)
        assert v3.version == 3
        assert DocumentSequence.objects.get(doc_type="ZZQ").last_number == 1

    def test_rendering_twice_renders_once(self, personas, customer, eager_tasks, django_capture_on_commit_callbacks):
        document = issue_and_render(personas, customer, "ZZQ", django_capture_on_commit_callbacks)
        name, digest = document.file.name, document.sha256
        again = document_render(document_id=document.pk)
        assert (again.file.name, again.sha256, again.state) == (name, digest, "ready")
        assert document_render(document_id=999_999) is None

    def test_a_failing_template_marks_the_document_failed_with_the_error(
        self, personas, customer, eager_tasks, django_capture_on_commit_callbacks
    ):
        document = issue_and_render(personas, customer, "ZZBAD", django_capture_on_commit_callbacks)
        assert document.state == "failed"
        assert "TemplateDoesNotExist" in document.error
        assert not document.file

    def test_someone_without_a_role_in_the_store_cannot_issue(self, personas, customer):
        with pytest.raises(PermissionDenied):
            document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=personas.b_consultant)
        assert not Document.objects.exists()
        assert not DocumentSequence.objects.filter(last_number__gt=0).exists()

    def test_a_failed_issue_rolls_the_number_back_with_the_record(self, personas, customer):
        class Boom(Exception):
            pass

        with pytest.raises(Boom), transaction.atomic():
            lost = document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=None)
            raise Boom
        kept = document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=None)
        assert kept.number == lost.number
        assert Document.objects.count() == 1

    def test_the_task_is_registered_under_its_name(self):
        from showroom.celery import app
        from showroom.tasks import document_render_task

        assert document_render_task.name == "showroom.document_render"
        assert app.tasks["showroom.document_render"].name == document_render_task.name


@pytest.fixture
def ready_document(personas, customer, eager_tasks, django_capture_on_commit_callbacks):
    return issue_and_render(personas, customer, "ZZQ", django_capture_on_commit_callbacks)


class TestDownload:
    def test_a_user_of_the_store_downloads_the_pdf(self, personas, ready_document, web):
        response = web(personas.warehouse_keeper).get(reverse("documents:download", args=[ready_document.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == ready_document.sha256
        assert f"{ready_document.number}-v1.pdf" in response["Content-Disposition"]

    def test_another_store_gets_404(self, personas, ready_document, web):
        response = web(personas.b_manager).get(reverse("documents:download", args=[ready_document.pk]))
        assert response.status_code == 404

    def test_anonymous_is_sent_to_login(self, ready_document, client):
        response = client.get(reverse("documents:download", args=[ready_document.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_a_pending_document_is_not_downloadable(self, personas, customer, web, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            document = document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=None)
        response = web(personas.consultant).get(reverse("documents:download", args=[document.pk]))
        assert response.status_code == 404


class TestListPartial:
    def url(self, customer):
        ct = ContentType.objects.get_for_model(customer)
        return reverse("documents:for_record", args=[ct.pk, customer.pk])

    def test_pending_shows_being_prepared_and_polls(self, personas, customer, web, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            document = document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=None)
        page = web(personas.consultant).get(self.url(customer)).content.decode()
        assert document.number in page
        assert "Being prepared" in page
        assert 'hx-trigger="every 2s"' in page
        assert reverse("documents:download", args=[document.pk]) not in page

    def test_ready_shows_number_version_and_link_and_stops_polling(self, personas, customer, ready_document, web):
        page = web(personas.consultant).get(self.url(customer)).content.decode()
        assert ready_document.number in page and "v1" in page
        assert reverse("documents:download", args=[ready_document.pk]) in page
        assert "hx-trigger" not in page

    def test_chinese_page(self, personas, customer, ready_document, web):
        page = web(personas.consultant).get(self.url(customer), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200
        assert ready_document.number in page.content.decode()

    def test_another_store_sees_no_documents(self, personas, customer, ready_document, web):
        page = web(personas.b_consultant).get(self.url(customer)).content.decode()
        assert ready_document.number not in page
        assert "No documents yet" in page

    def test_the_panel_context_for_a_record_page(self, personas, customer, ready_document):
        from django.template.loader import render_to_string

        from showroom.views.documents import documents_panel_context

        context = documents_panel_context(user=personas.consultant, target=customer)
        assert [r["document"] for r in context["document_rows"]] == [ready_document]
        assert context["documents_url"] == self.url(customer)
        html = render_to_string("showroom/documents/_list.html", context)
        assert ready_document.number in html


class TestApi:
    def test_a_records_documents_with_their_download_links(self, personas, customer, ready_document, api):
        other = CustomerFactory(store=personas.store_a)
        document_issue(doc_type="ZZQ", target=other, store=personas.store_a, user=None)
        response = api(personas.consultant).get(
            reverse("document-list"), {"content_type": "showroom.customer", "object_id": customer.pk}
        )
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["number"] for r in rows] == [ready_document.number]
        row = rows[0]
        assert row["version"] == 1 and row["state"] == "ready" and row["sha256"] == ready_document.sha256
        assert row["target_type"] == "showroom.customer" and row["doc_type_label"] == "测试报价单"
        assert row["download_url"].endswith(reverse("documents:download", args=[ready_document.pk]))
        # the content type may also be given by id
        ct = ContentType.objects.get_for_model(customer)
        by_id = api(personas.consultant).get(
            reverse("document-list"), {"content_type": ct.pk, "object_id": customer.pk}
        )
        assert [r["id"] for r in by_id.json()["results"]] == [ready_document.pk]

    def test_bad_filters_are_400_with_field_messages(self, personas, api):
        response = api(personas.consultant).get(
            reverse("document-list"), {"content_type": "nope.nothing", "object_id": "x"}
        )
        assert response.status_code == 400
        fields = response.json()["fields"]
        assert set(fields) == {"content_type", "object_id"}

    def test_another_store_sees_nothing_and_gets_404_on_detail(self, personas, ready_document, api):
        client = api(personas.b_manager)
        assert client.get(reverse("document-list")).json()["results"] == []
        assert client.get(reverse("document-detail", args=[ready_document.pk])).status_code == 404

    def test_read_only(self, personas, ready_document, api):
        client = api(personas.showroom_manager)
        assert client.post(reverse("document-list"), {}, format="json").status_code == 405
        assert client.delete(reverse("document-detail", args=[ready_document.pk])).status_code == 405

    def test_pending_has_no_download_url(self, personas, customer, api, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            document_issue(doc_type="ZZQ", target=customer, store=personas.store_a, user=None)
        (row,) = api(personas.consultant).get(reverse("document-list")).json()["results"]
        assert (row["state"], row["download_url"]) == ("pending", None)


class TestTimeline:
    def test_documents_appear_in_the_records_timeline(
        self, personas, customer, ready_document, eager_tasks, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            pending = document_rerender(document=ready_document, user=personas.consultant)
        entries = [e for e in timeline_for(target=customer) if e.kind == "document"]
        assert [(e.extra["number"], e.extra["version"], e.state) for e in entries] == [
            (ready_document.number, 1, "ready"),
            (pending.number, 2, "pending"),
        ]
        assert entries[0].url == reverse("documents:download", args=[ready_document.pk])
        assert entries[1].url == "" and entries[1].detail == "Being prepared"
        assert ready_document.number in entries[0].title

    def test_the_source_ignores_other_records(self, personas, customer, ready_document):
        other = CustomerFactory(store=personas.store_a)
        ct = ContentType.objects.get_for_model(other)
        assert documents_source(other, ct) == []
        assert list(documents_for(target=customer)) == [ready_document]


class TestAdmin:
    def test_sequences_are_read_only_and_render_again_makes_a_new_version(
        self, personas, ready_document, client, django_capture_on_commit_callbacks
    ):
        from tests.factories import UserFactory

        admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
        client.force_login(admin_user)
        sequence = DocumentSequence.objects.get(doc_type="ZZQ")
        # the counters can be read but not changed, added or deleted
        assert client.get(reverse("admin:showroom_documentsequence_changelist")).status_code == 200
        change = client.post(reverse("admin:showroom_documentsequence_change", args=[sequence.pk]), {"last_number": 0})
        assert change.status_code == 403
        assert client.get(reverse("admin:showroom_documentsequence_add")).status_code == 403
        sequence.refresh_from_db()
        assert sequence.last_number == 1
        # the render-again action makes version 2 of the same number
        assert client.get(reverse("admin:showroom_document_changelist")).status_code == 200
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(
                reverse("admin:showroom_document_changelist"),
                {"action": "render_again", "_selected_action": [ready_document.pk]},
            )
        assert response.status_code == 302
        assert list(
            Document.objects.filter(number=ready_document.number).order_by("version").values_list("version", "state")
        ) == [(1, "ready"), (2, "pending")]
