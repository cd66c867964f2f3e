"""One export mechanism: a filtered list exports exactly its rows (CSV and XLSX); a large list
runs as a background job with its progress and a download."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
import time_machine
from openpyxl import load_workbook

from showroom.models import ExportJob
from showroom.services.exports import export_job_run
from tests.showroom.dashboard_fixtures import NOW, at, shift, source, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def visits(personas):
    a, desk = personas.store_a, personas.receptionist
    s = shift(a, desk)
    return [
        visit(a, s, desk, arrived=at(2, 10), first=True),
        visit(a, s, desk, arrived=at(3, 11), first=False),
        visit(a, s, desk, arrived=at(4, 12), first=True, src=source(a, "web")),
        visit(a, s, desk, arrived=at(5, 13, month=2)),
    ]


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


class TestFilteredExport:
    def test_csv_holds_exactly_the_filtered_rows(self, personas, web, visits):
        # given walk-ins of March and February, when the first visits of March export
        response = web(personas.showroom_manager).get(
            "/dashboard/visits/?from=2026-03-01&to=2026-03-20&first=1&export=csv"
        )
        rows = _csv_rows(response)[1:]
        # then exactly the two March first visits, newest first
        expected = sorted(
            (v for v in visits if v.first_visit and v.arrived_at.month == 3), key=lambda v: v.arrived_at, reverse=True
        )
        assert [r[0] for r in rows] == [f"{v.arrived_at.astimezone(NOW.tzinfo):%Y-%m-%d %H:%M}" for v in expected]

    def test_xlsx_of_a_source_filter(self, personas, web, visits):
        response = web(personas.showroom_manager).get(
            "/dashboard/visits/?from=2026-03-01&to=2026-03-20&source=web&export=xlsx"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        data = list(sheet.iter_rows(values_only=True))[1:]
        assert len(data) == 1 and data[0][4] == "Web"

    def test_a_consultant_may_not_export(self, personas, web, visits):
        assert web(personas.consultant).get("/dashboard/visits/?export=csv").status_code == 403


class TestBackgroundExport:
    def test_a_large_list_becomes_a_job_with_progress_and_a_download(
        self, personas, web, visits, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.SHOWROOM_EXPORT_ASYNC_ROWS = 2
        settings.MEDIA_ROOT = str(tmp_path)
        client = web(personas.showroom_manager)
        # when a list above the limit is exported, the reader is sent to the job's page
        with (
            mock.patch("showroom.tasks.exports.export_job_run_task.delay") as delay,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.get("/dashboard/visits/?from=2026-03-01&to=2026-03-20&export=csv")
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/dashboard/exports/{job.pk}/"
        delay.assert_called_once()
        page = client.get(f"/dashboard/exports/{job.pk}/")
        assert 'data-state="pending"' in page.content.decode()
        # when the worker runs it (twice: the second run changes nothing)
        export_job_run(job_id=job.pk)
        export_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.state == "done" and job.total == 3 and job.progress == 100
        download = client.get(f"/dashboard/exports/{job.pk}/download/")
        rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
        assert len(rows) == 1 + 3
        # another user cannot see it
        assert web(personas.b_manager).get(f"/dashboard/exports/{job.pk}/").status_code == 404


class TestEveryListExports:
    """The core's other lists export what they show, their filters kept."""

    def test_my_approval_requests_filtered_by_state(self, personas, web):
        from showroom.models import ApprovalRequest
        from showroom.services.approvals import approval_request_create, approval_withdraw
        from tests.factories import CustomerFactory

        # given three requests of the consultant, one withdrawn
        made = [
            approval_request_create(
                target=CustomerFactory(store=personas.store_a),
                kind="leads.lost_lead",
                store=personas.store_a,
                requester=personas.consultant,
                reason=f"原因 {i}",
            )
            for i in range(3)
        ]
        approval_withdraw(request=made[0], user=personas.consultant)
        # when the pending ones export
        rows = _csv_rows(web(personas.consultant).get("/approvals/mine/?state=pending&export=csv"))[1:]
        # then exactly the two pending requests
        pending = ApprovalRequest.objects.filter(requester=personas.consultant, state="pending")
        assert sorted(int(r[0]) for r in rows) == sorted(pending.values_list("pk", flat=True))
        assert len(rows) == 2

    def test_my_followups_of_a_bucket(self, personas, web):
        from tests.factories import CustomerFactory
        from tests.showroom.dashboard_fixtures import followup

        customer = CustomerFactory(store=personas.store_a)
        followup(personas.store_a, customer, personas.consultant, due=at(19, 9))  # overdue
        followup(personas.store_a, customer, personas.consultant, due=at(25, 9))  # upcoming
        followup(personas.store_a, customer, personas.showroom_manager, due=at(19, 9))  # someone else's
        rows = _csv_rows(web(personas.consultant).get("/followups/?bucket=overdue&export=csv"))[1:]
        assert [r[3] for r in rows] == ["2026-03-19 09:00"]

    def test_my_leads_export_only_mine(self, personas, web):
        from tests.factories import CustomerFactory
        from tests.leads.factories import LeadFactory

        mine = [LeadFactory(store=personas.store_a, consultant=personas.consultant) for _ in range(2)]
        LeadFactory(store=personas.store_a, consultant=personas.showroom_manager, customer=CustomerFactory())
        rows = _csv_rows(web(personas.consultant).get("/leads/?export=csv"))[1:]
        assert sorted(int(r[0]) for r in rows) == sorted(lead.pk for lead in mine)

    def test_owners_export_their_due_window(self, personas, web):
        import datetime as dt

        from leads.models import Owner
        from tests.factories import CustomerFactory

        for due in (dt.date(2026, 4, 1), dt.date(2026, 9, 1)):
            Owner.objects.create(
                store=personas.store_a,
                customer=CustomerFactory(store=personas.store_a),
                model_text="英朗",
                purchase_date=dt.date(2021, 4, 1),
                replacement_due=due,
            )
        rows = _csv_rows(
            web(personas.showroom_manager).get("/leads/owners/?due_from=2026-03-01&due_to=2026-06-30&export=csv")
        )[1:]
        assert [r[6] for r in rows] == ["2026-04-01"]
