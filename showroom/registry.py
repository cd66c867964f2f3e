"""The one place where workflow apps plug into the core.

The core (``showroom``) imports no workflow app. Each app registers what it brings in its
``AppConfig.ready()`` by calling the ``register_*`` functions below; the core looks things up here
by key. Every entry is a frozen dataclass with typed callables, documented in
``docs/architecture.md``. Registering the same key twice replaces the entry (so ``ready()`` may run
again in tests) unless the callable differs *and* ``replace=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.functional import Promise


class ApprovalHandler(Protocol):
    """Called inside the approving transaction with the approved request. Raising rolls the
    approval back."""

    def __call__(self, *, request: Any) -> None: ...


class QuotaCounter(Protocol):
    """Returns the population a quota is a share of (e.g. a project's live subscriptions) for
    the request's target record."""

    def __call__(self, *, request: Any) -> int: ...


class FollowUpHook(Protocol):
    """Called when a follow-up of the plan is completed, missed or escalated; ``event`` is
    ``"done"``, ``"missed"`` or ``"escalated"``. It may schedule the next follow-up."""

    def __call__(self, *, followup: Any, event: str) -> None: ...


class Seeder(Protocol):
    """Creates demo records; must be idempotent (``seed_demo`` may run again)."""

    def __call__(self, *, stdout: Any) -> None: ...


class ReportSection(Protocol):
    """Returns the context of one section of a store's daily report."""

    def __call__(self, *, store: Any, day: Any) -> dict[str, Any]: ...


class DashboardMetric(Protocol):
    """Returns the value of one card on the manager dashboard for a store and period."""

    def __call__(self, *, store_ids: list[int], start: Any, end: Any) -> Decimal | int: ...


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: str | Promise
    unit: str  # "percent", "amount", "days", "quantity" or "none"
    handler: ApprovalHandler | None = None
    on_rejected: ApprovalHandler | None = None
    quota_counter: QuotaCounter | None = None
    quota_group: str = ""  # kinds sharing one quota name the same group (delayed signing)


@dataclass(frozen=True)
class FollowUpPlan:
    code: str
    label: str | Promise
    hook: FollowUpHook | None = None


@dataclass(frozen=True)
class ChecklistGuard:
    """Transition ``transition`` of ``model`` ("app_label.modelname") needs a complete run of
    checklist ``checklist_code`` (for ``phase``, or every phase when empty) on the record."""

    model: str
    transition: str
    checklist_code: str
    phase: str = ""


@dataclass(frozen=True)
class DocumentType:
    code: str
    prefix: str
    label: str | Promise
    template: str  # under templates/pdf/
    scope: str = "store"  # "store", "project" (a property project) or "global"
    yearly: bool = True
    copies: tuple[str | Promise, ...] = ()  # labels of the copies, one page set each
    # Builds the template context from the record: context(target=…) -> dict.
    context: Callable[..., dict[str, Any]] | None = None
    # The numbering scope of a record when scope="project" (e.g. "project:12").
    scope_of: Callable[..., str] | None = None


@dataclass(frozen=True)
class DemoSeeder:
    code: str
    func: Seeder
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSectionEntry:
    code: str
    title: str | Promise
    template: str
    func: ReportSection
    order: int = 100


@dataclass(frozen=True)
class DashboardMetricEntry:
    code: str
    label: str | Promise
    func: DashboardMetric
    list_url_name: str = ""
    order: int = 100
    # the store kinds the figure means something for (a property site has no test drives);
    # empty: every kind
    store_kinds: tuple[str, ...] = ()


class ScheduledJobFunc(Protocol):
    """Does one store's work for one local day; runs inside a transaction with the JobRun row."""

    def __call__(self, *, store: Any, day: Any) -> None: ...


@dataclass(frozen=True)
class ScheduledJob:
    """A daily job at a store's local time: ``at`` is "HH:MM", or "closing" for the store's
    closing time. ``store_kinds`` limits it to some kinds of store (empty: all); ``on_day``
    limits it to some days (e.g. the month's last days)."""

    code: str
    label: str | Promise
    func: ScheduledJobFunc
    at: str = "closing"
    store_kinds: tuple[str, ...] = ()
    on_day: Callable[[Any], bool] | None = None


@dataclass
class Registry:
    approval_kinds: dict[str, ApprovalKind] = field(default_factory=dict)
    followup_plans: dict[str, FollowUpPlan] = field(default_factory=dict)
    checklist_guards: list[ChecklistGuard] = field(default_factory=list)
    document_types: dict[str, DocumentType] = field(default_factory=dict)
    seeders: dict[str, DemoSeeder] = field(default_factory=dict)
    report_sections: dict[str, ReportSectionEntry] = field(default_factory=dict)
    dashboard_metrics: dict[str, DashboardMetricEntry] = field(default_factory=dict)
    scheduled_jobs: dict[str, ScheduledJob] = field(default_factory=dict)
    customer_merge_hooks: dict[str, Any] = field(default_factory=dict)


registry = Registry()


def register_approval_kind(kind: ApprovalKind) -> ApprovalKind:
    registry.approval_kinds[kind.code] = kind
    return kind


def approval_kind(code: str) -> ApprovalKind | None:
    return registry.approval_kinds.get(code)


def register_followup_plan(plan: FollowUpPlan) -> FollowUpPlan:
    registry.followup_plans[plan.code] = plan
    return plan


def followup_plan(code: str) -> FollowUpPlan | None:
    return registry.followup_plans.get(code)


def register_checklist_guard(guard: ChecklistGuard) -> ChecklistGuard:
    if guard not in registry.checklist_guards:
        registry.checklist_guards.append(guard)
    return guard


def checklist_guards_for(model: str, transition: str) -> list[ChecklistGuard]:
    return [g for g in registry.checklist_guards if g.model == model and g.transition == transition]


def register_document_type(doc_type: DocumentType) -> DocumentType:
    registry.document_types[doc_type.code] = doc_type
    return doc_type


def document_type(code: str) -> DocumentType | None:
    return registry.document_types.get(code)


def register_seeder(code: str, func: Seeder, *, depends_on: Iterable[str] = ()) -> DemoSeeder:
    entry = DemoSeeder(code=code, func=func, depends_on=tuple(depends_on))
    registry.seeders[code] = entry
    return entry


def seeders_in_order() -> list[DemoSeeder]:
    """Seeders sorted so each runs after those it depends on (a stable topological order)."""
    ordered: list[DemoSeeder] = []
    state: dict[str, str] = {}

    def visit(code: str, chain: tuple[str, ...]) -> None:
        if state.get(code) == "done":
            return
        if state.get(code) == "visiting":
            raise ValueError(f"Demo seeders depend on each other in a cycle: {' -> '.join((*chain, code))}")
        entry = registry.seeders.get(code)
        if entry is None:
            raise ValueError(f"Demo seeder {chain[-1] if chain else '?'} depends on unknown seeder {code}")
        state[code] = "visiting"
        for dep in entry.depends_on:
            visit(dep, (*chain, code))
        state[code] = "done"
        ordered.append(entry)

    for code in sorted(registry.seeders):
        visit(code, ())
    return ordered


def register_report_section(entry: ReportSectionEntry) -> ReportSectionEntry:
    registry.report_sections[entry.code] = entry
    return entry


def register_dashboard_metric(entry: DashboardMetricEntry) -> DashboardMetricEntry:
    registry.dashboard_metrics[entry.code] = entry
    return entry


def report_sections() -> list[ReportSectionEntry]:
    return sorted(registry.report_sections.values(), key=lambda e: (e.order, e.code))


def dashboard_metrics() -> list[DashboardMetricEntry]:
    return sorted(registry.dashboard_metrics.values(), key=lambda e: (e.order, e.code))


def register_scheduled_job(job: ScheduledJob) -> ScheduledJob:
    registry.scheduled_jobs[job.code] = job
    return job


def scheduled_jobs() -> list[ScheduledJob]:
    return sorted(registry.scheduled_jobs.values(), key=lambda j: j.code)


def unregister(kind: str, code: str) -> None:
    """Remove an entry (tests that register a fake one clean up with this)."""
    table: dict[str, Any] = getattr(registry, kind)
    table.pop(code, None)


Callback = Callable[..., Any]


# --- global search --------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchHit:
    """One row of the global search: ``detail`` never shows personal data unmasked."""

    kind: str
    label: str
    detail: str
    url: str


class SearchFunc(Protocol):
    """Returns at most ``limit`` hits for ``q`` among the records of ``store_ids`` (the stores
    the user may see); one or two queries whatever the number of records."""

    def __call__(self, *, user: Any, q: str, store_ids: list[int], limit: int) -> list[SearchHit]: ...


@dataclass(frozen=True)
class SearchProvider:
    kind: str
    label: str | Promise
    func: SearchFunc
    order: int = 100


# Kept on the registry object so ``unregister("search_providers", kind)`` works like the others.
registry.search_providers = {}  # type: ignore[attr-defined]


def register_search_provider(provider: SearchProvider) -> SearchProvider:
    registry.search_providers[provider.kind] = provider  # type: ignore[attr-defined]
    return provider


def search_providers() -> list[SearchProvider]:
    return sorted(registry.search_providers.values(), key=lambda p: (p.order, p.kind))  # type: ignore[attr-defined]


# --- customer merges ----------------------------------------------------------------------------
class CustomerMergeFunc(Protocol):
    def __call__(self, *, survivor: Any, duplicate: Any, user: Any) -> None: ...


def register_customer_merge_hook(code: str, func: CustomerMergeFunc) -> CustomerMergeFunc:
    """``func(*, survivor, duplicate, user)`` runs inside the merge's transaction before the core
    moves every record that points at the duplicate (every foreign key and generic relation to a
    customer moves by itself): an app settles what its own rules would otherwise refuse, e.g. two
    open leads where only one may be open."""
    registry.customer_merge_hooks[code] = func
    return func


def customer_merge_hooks() -> list[CustomerMergeFunc]:
    return [registry.customer_merge_hooks[code] for code in sorted(registry.customer_merge_hooks)]


# --- the manager dashboard: funnel steps, per-consultant figures, panels ---------------------------
# Every callable takes ``store_ids`` (the stores shown), and the period as aware datetimes
# ``start`` (included) and ``end`` (excluded). Each one costs a fixed number of queries (one,
# usually) whatever the number of records: the dashboard's query budget is the sum of these.
class FunnelCount(Protocol):
    def __call__(self, *, store_ids: list[int], start: Any, end: Any) -> int: ...


class FunnelListUrl(Protocol):
    """The URL of the list of the records behind the count, filtered the same way."""

    def __call__(self, *, store_ids: list[int], start: Any, end: Any) -> str: ...


@dataclass(frozen=True)
class FunnelStep:
    """One step of the sales funnel (visits → needs analysis → test drives → quotes → orders →
    deliveries); steps are shown by ``order`` with the conversion from the step before."""

    code: str
    label: str | Promise
    order: int
    count: FunnelCount
    list_url: FunnelListUrl | None = None
    # True for a count of what happened on a day (walk-ins, quotes sent), which the nightly
    # roll-up may keep per day: see ``ConsultantFigure.daily``
    daily: bool = False


class ConsultantValues(Protocol):
    """The figure for every consultant in one query: ``{user_id: value}`` (missing: 0)."""

    def __call__(self, *, store_ids: list[int], start: Any, end: Any) -> dict[int, Decimal | int]: ...


class ConsultantListUrl(Protocol):
    def __call__(self, *, store_ids: list[int], start: Any, end: Any, consultant_id: int) -> str: ...


@dataclass(frozen=True)
class ConsultantFigure:
    """One column of the dashboard's per-consultant table. With ``rate_of`` (the code of another
    column) the column also shows this value as a share of that one (the test-drive rate is test
    drives over walk-ins assigned). ``average`` columns (an audit score, days to an order) show
    "—" for a consultant with nothing to average, counts show 0."""

    code: str
    label: str | Promise
    order: int
    values: ConsultantValues
    list_url: ConsultantListUrl | None = None
    rate_of: str = ""
    rate_label: str | Promise = ""
    average: bool = False
    # True when a closed day's value is a count of what happened that day and stays as it is
    # (walk-ins handed over, follow-ups due that day done on time): the nightly roll-up keeps it
    # per day and the dashboard sums the days. Leave False for cohorts that move later (leads
    # opened in the period and won since) and for averages: those are always counted live.
    daily: bool = False


@dataclass(frozen=True)
class PanelRow:
    label: str
    value: Decimal | int
    url: str = ""


class PanelRows(Protocol):
    def __call__(self, *, store_ids: list[int], start: Any, end: Any) -> list[PanelRow]: ...


@dataclass(frozen=True)
class DashboardPanel:
    """A titled table of figures (with a bar chart) on the dashboard: lost leads by reason, H/A
    leads at risk, … ``rows`` costs a fixed number of queries."""

    code: str
    title: str | Promise
    order: int
    rows: PanelRows
    help_text: str | Promise = ""


registry.funnel_steps = {}  # type: ignore[attr-defined]
registry.consultant_figures = {}  # type: ignore[attr-defined]
registry.dashboard_panels = {}  # type: ignore[attr-defined]


def register_funnel_step(step: FunnelStep) -> FunnelStep:
    registry.funnel_steps[step.code] = step  # type: ignore[attr-defined]
    return step


def funnel_steps() -> list[FunnelStep]:
    return sorted(registry.funnel_steps.values(), key=lambda s: (s.order, s.code))  # type: ignore[attr-defined]


def register_consultant_figure(figure: ConsultantFigure) -> ConsultantFigure:
    registry.consultant_figures[figure.code] = figure  # type: ignore[attr-defined]
    return figure


def consultant_figures() -> list[ConsultantFigure]:
    return sorted(registry.consultant_figures.values(), key=lambda f: (f.order, f.code))  # type: ignore[attr-defined]


def register_dashboard_panel(panel: DashboardPanel) -> DashboardPanel:
    registry.dashboard_panels[panel.code] = panel  # type: ignore[attr-defined]
    return panel


def dashboard_panels() -> list[DashboardPanel]:
    return sorted(registry.dashboard_panels.values(), key=lambda p: (p.order, p.code))  # type: ignore[attr-defined]


# --- staff scores shown beside the audits in the monthly performance view -----------------------
@dataclass(frozen=True)
class StaffScoreSource:
    """Daily scores of staff kept by an app (the jewellery counter's grooming checks): ``rows(*,
    store_ids, start, end)`` returns ``[{"name": str, "months": {first day of month: average}}]``
    in a fixed number of queries."""

    code: str
    rows: Callable[..., list[dict]]


registry.staff_score_sources = {}  # type: ignore[attr-defined]


def register_staff_score_source(source: StaffScoreSource) -> StaffScoreSource:
    registry.staff_score_sources[source.code] = source  # type: ignore[attr-defined]
    return source


def staff_score_sources() -> list[StaffScoreSource]:
    return [registry.staff_score_sources[c] for c in sorted(registry.staff_score_sources)]  # type: ignore[attr-defined]


# --- process audits: automatic scorers per checklist item ------------------------------------------
@dataclass(frozen=True)
class AuditVerdict:
    """What the data says about one audit item: ``passed`` and the evidence in words."""

    passed: bool
    evidence: str = ""


class AuditScorerFunc(Protocol):
    """Scores one item of an audit from the records (``audit.visit``, ``audit.customer``,
    ``audit.consultant``, ``audit.interaction_at``, ``audit.store``); ``None`` when the data
    cannot answer (no visit, no lead …), and the auditor scores the item by hand."""

    def __call__(self, *, audit: Any, settings: Any) -> AuditVerdict | None: ...


@dataclass(frozen=True)
class AuditScorer:
    """``item_code`` is the item's place in article 1 of the seed, "section.item" (e.g. "4.4")."""

    item_code: str
    label: str | Promise
    func: AuditScorerFunc


registry.audit_scorers = {}  # type: ignore[attr-defined]


def register_audit_scorer(scorer: AuditScorer) -> AuditScorer:
    registry.audit_scorers[scorer.item_code] = scorer  # type: ignore[attr-defined]
    return scorer


def audit_scorers() -> dict[str, AuditScorer]:
    return dict(registry.audit_scorers)  # type: ignore[attr-defined]
