"""Base-customer campaigns (基盘客户): existing owners imported from service data, a replacement
cycle per model segment that gives each owner a replacement-due date, and campaigns that select the
owners due in a window, open a lead for each, distribute them by the store's one rule and invite
them for a dated visit (the consultant is reminded the day before through the follow-ups engine).

The import checks every row first and writes only when every row is good, in one transaction: a
file with one bad row imports nothing and reports each bad row (row number, field, message).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import LEAD_MANAGERS, Campaign, Lead, Owner, ReplacementCycle, VehicleModel
from leads.services._common import in_site_language, require
from leads.services.intake import lead_create
from leads.services.lifecycle import lead_lost_request
from showroom.models import Customer, FollowUp, Membership, Store
from showroom.permissions import has_role
from showroom.registry import FollowUpPlan, register_followup_plan
from showroom.roles import CONSULTANT, GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER
from showroom.selectors.frontdesk import frontdesk_settings_get, local_today
from showroom.selectors.roster import roster_get
from showroom.services.customers import customer_create
from showroom.services.followups import EVENT_DONE, followup_plan_schedule
from showroom.services.transitions import TransitionConflict
from showroom.validators import normalize_cn_mobile

#: Who imports owners, creates and launches campaigns.
CAMPAIGN_MANAGERS = (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER)
#: Who edits the replacement cycles ("editable by the sales manager").
CYCLE_EDITORS = (SALES_MANAGER, GENERAL_MANAGER)
INVITE_PLAN = "leads.campaign_invite"
INVITE_AT = dt.time(10, 0)
Segment = VehicleModel.Segment
DEFAULT_CYCLES = {
    Segment.SEDAN_A: 60,
    Segment.SEDAN_B: 72,
    Segment.SEDAN_C: 84,
    Segment.SUV: 72,
    Segment.MPV: 84,
    Segment.NEV: 60,
    Segment.OTHER: 72,
}
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_MILEAGE = 3_000_000
MAX_CYCLE_MONTHS = 360
MAX_WINDOW_DAYS = 3 * 366

# Column → the headers it accepts (compared lower-cased, without spaces, underscores or dashes).
COLUMNS = {
    "name": ("name", "姓名", "客户姓名", "车主姓名"),
    "mobile": ("mobile", "phone", "手机", "手机号", "手机号码", "电话"),
    "model": ("model", "车型"),
    "purchase_date": ("purchasedate", "购车日期", "购买日期"),
    "last_service_date": ("lastservicedate", "最近保养日期", "最近保养", "上次保养日期"),
    "mileage": ("mileage", "mileagekm", "里程", "里程km", "里程(km)", "行驶里程"),
    "seller": ("seller", "soldby", "销售顾问"),
}
REQUIRED_COLUMNS = ("name", "mobile", "model", "purchase_date")
COLUMN_LABELS = {
    "name": gettext_lazy("name"),
    "mobile": gettext_lazy("mobile"),
    "model": gettext_lazy("model"),
    "purchase_date": gettext_lazy("purchase date"),
    "last_service_date": gettext_lazy("last service date"),
    "mileage": gettext_lazy("mileage"),
    "seller": gettext_lazy("consultant who sold the car"),
    "file": gettext_lazy("file"),
}
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


# --- the invitation plan ------------------------------------------------------------------------


def campaign_invite_hook(*, followup: FollowUp, event: str) -> None:
    """An invitation call done counts as a contact with the customer."""
    if event != EVENT_DONE or not followup.done_at:
        return
    lead = Lead.objects.select_for_update(of=("self",)).filter(pk=followup.object_id).first()
    if lead is None or not lead.is_open:
        return
    if lead.last_contact_at is None or followup.done_at > lead.last_contact_at:
        lead.last_contact_at = followup.done_at
        lead.save(update_fields=["last_contact_at", "updated_at"])


register_followup_plan(
    FollowUpPlan(code=INVITE_PLAN, label=gettext_lazy("Campaign visit invitation"), hook=campaign_invite_hook)
)


# --- replacement cycles -------------------------------------------------------------------------


def replacement_cycles_for(*, store: Store | int) -> dict[str, int]:
    """Months of the replacement cycle per segment, creating the store's missing rows with the
    defaults (one query once they exist)."""
    store_id = store if isinstance(store, int) else store.pk
    cycles = dict(ReplacementCycle.objects.filter(store_id=store_id).values_list("segment", "months"))
    missing = [segment for segment in DEFAULT_CYCLES if segment not in cycles]
    if missing:
        ReplacementCycle.objects.bulk_create(
            [ReplacementCycle(store_id=store_id, segment=s, months=DEFAULT_CYCLES[s]) for s in missing],
            ignore_conflicts=True,
        )
        cycles = dict(ReplacementCycle.objects.filter(store_id=store_id).values_list("segment", "months"))
    return cycles


def _due(purchase_date: dt.date, months: int) -> dt.date:
    """``months`` after the purchase (the last day of the month when the day does not exist)."""
    index = purchase_date.month - 1 + months
    year, month = purchase_date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(purchase_date.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def replacement_cycle_set(*, store: Store, user, segment: str, months) -> ReplacementCycle:
    """The sales manager changes a segment's cycle; the store's owners of that segment get their
    replacement-due date again."""
    require(has_role(user, store, CYCLE_EDITORS), _("Only the sales manager changes the replacement cycles."))
    errors: dict[str, list[str]] = {}
    if segment not in Segment.values:
        errors["segment"] = [_("Choose a segment from the list.")]
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= MAX_CYCLE_MONTHS:
        errors["months"] = [_("Give a cycle from 1 to %(n)s months.") % {"n": MAX_CYCLE_MONTHS}]
    if errors:
        raise ValidationError(errors)
    replacement_cycles_for(store=store)
    cycle = ReplacementCycle.objects.select_for_update().get(store=store, segment=segment)
    if cycle.months == months:
        return cycle
    cycle.months = months
    cycle.save(update_fields=["months"])
    owners = Owner.objects.filter(store=store).select_related("vehicle_model")
    if segment == Segment.OTHER:
        owners = owners.filter(vehicle_model__isnull=True) | owners.filter(vehicle_model__segment=segment)
    else:
        owners = owners.filter(vehicle_model__segment=segment)
    changed = []
    for owner in owners:
        owner.replacement_due = _due(owner.purchase_date, months)
        changed.append(owner)
    Owner.objects.bulk_update(changed, ["replacement_due"], batch_size=500)
    return cycle


# --- the import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # the row number in the file (the header is row 1)
    field: str
    message: str

    @property
    def field_label(self) -> str:
        return str(COLUMN_LABELS.get(self.field, self.field))


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    customers_created: int = 0
    customers_found: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "customers_created": self.customers_created,
            "customers_found": self.customers_found,
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
        }


@dataclass
class _Row:
    number: int
    name: str
    mobile: str
    model_text: str
    vehicle_model: VehicleModel | None
    purchase_date: dt.date
    last_service_date: dt.date | None
    mileage: int | None
    seller: object | None


def _header_key(value) -> str:
    return re.sub(r"[\s_\-]", "", str(value or "")).lower().lstrip("\ufeff")


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    raise ValueError(_("The file is neither UTF-8 nor GBK text."))


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2)]
    finally:
        book.close()


def _read_table(*, data: bytes, filename: str) -> list[list]:
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(data)
    raise ValueError(_("Upload a CSV or XLSX file."))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> dt.date | None:
    """A date cell, or text YYYY-MM-DD or YYYY/MM/DD; None when empty; ValueError when wrong."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    if not text:
        return None
    match = DATE_RE.match(text.split(" ")[0] if re.match(r"^\S+ 00:00(:00)?$", text) else text)
    if not match:
        raise ValueError
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def _parse_mileage(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    else:
        text = _cell_text(value).replace(",", "")
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError
        number = int(text)
    if number < 0 or number > MAX_MILEAGE:
        raise ValueError
    return number


def _model_index() -> dict[str, VehicleModel]:
    """Catalogue models by name and by "brand name", our own brands winning a tie (one query)."""
    index: dict[str, VehicleModel] = {}
    for model in VehicleModel.objects.select_related("brand").order_by("brand__is_own", "pk"):
        for key in (model.name, f"{model.brand.name}{model.name}", f"{model.brand.name} {model.name}"):
            index[_header_key(key)] = model
    return index


def _sellers(*, store: Store, usernames: set[str]) -> dict[str, object]:
    """The users named in the seller column who hold (or held) a membership in the store."""
    if not usernames:
        return {}
    User = get_user_model()
    ids = Membership.objects.filter(store=store).values("user_id")
    return {u.get_username(): u for u in User.objects.filter(username__in=usernames, pk__in=ids)}


def _check_rows(*, store: Store, table: list[list], report: ImportReport) -> list[_Row]:
    errors = report.errors
    header_index = next((i for i, row in enumerate(table) if any(_cell_text(c) for c in row)), None)
    if header_index is None:
        errors.append(RowError(1, "file", _("The file is empty.")))
        return []
    header = table[header_index]
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = _header_key(cell)
        for column, names in COLUMNS.items():
            if key in names and column not in positions:
                positions[column] = position
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            errors.append(
                RowError(
                    header_index + 1,
                    column,
                    _("The column “%(column)s” is missing.") % {"column": COLUMN_LABELS[column]},
                )
            )
    if errors:
        return []
    body = [(header_index + 2 + i, row) for i, row in enumerate(table[header_index + 1 :])]
    body = [(number, row) for number, row in body if any(_cell_text(c) for c in row)]
    if not body:
        errors.append(RowError(header_index + 1, "file", _("The file has a header but no owners.")))
        return []
    if len(body) > MAX_IMPORT_ROWS:
        errors.append(
            RowError(header_index + 1, "file", _("Import at most %(n)s owners at a time.") % {"n": MAX_IMPORT_ROWS})
        )
        return []

    def cell(row, column):
        position = positions.get(column)
        return row[position] if position is not None and position < len(row) else None

    models = _model_index()
    sellers = _sellers(store=store, usernames={_cell_text(cell(row, "seller")) for _n, row in body} - {""})
    today = local_today()
    rows: list[_Row] = []
    for number, row in body:
        before = len(errors)

        def bad(column, message, number=number):
            errors.append(RowError(number, column, str(message)))

        name = _cell_text(cell(row, "name"))
        if not name:
            bad("name", _("Enter the owner's name."))
        elif len(name) > 80:
            bad("name", _("Keep the name under 80 characters."))
        mobile = ""
        try:
            mobile = normalize_cn_mobile(_cell_text(cell(row, "mobile")))
        except ValidationError as exc:
            bad("mobile", " ".join(exc.messages))
        model_text = _cell_text(cell(row, "model"))
        vehicle_model = None
        if not model_text:
            bad("model", _("Enter the car's model."))
        elif len(model_text) > 120:
            bad("model", _("Keep the model under 120 characters."))
        else:
            vehicle_model = models.get(_header_key(model_text))
            if vehicle_model is not None:
                model_text = vehicle_model.name
        purchase_date = last_service = None
        try:
            purchase_date = _parse_date(cell(row, "purchase_date"))
            if purchase_date is None:
                bad("purchase_date", _("Enter the purchase date."))
            elif purchase_date > today:
                bad("purchase_date", _("The purchase date cannot be in the future."))
        except (ValueError, OverflowError):
            bad("purchase_date", _("Write the date as YYYY-MM-DD or YYYY/MM/DD."))
        try:
            last_service = _parse_date(cell(row, "last_service_date"))
            if last_service is not None and last_service > today:
                bad("last_service_date", _("The last service cannot be in the future."))
            elif last_service and purchase_date and last_service < purchase_date:
                bad("last_service_date", _("The last service cannot be before the purchase."))
        except (ValueError, OverflowError):
            bad("last_service_date", _("Write the date as YYYY-MM-DD or YYYY/MM/DD."))
        mileage = None
        try:
            mileage = _parse_mileage(cell(row, "mileage"))
        except (ValueError, OverflowError):
            bad("mileage", _("Give the mileage as a whole number of kilometres, 0 or more."))
        seller = None
        seller_name = _cell_text(cell(row, "seller"))
        if seller_name:
            seller = sellers.get(seller_name)
            if seller is None:
                bad("seller", _("No one of this store has the username “%(name)s”.") % {"name": seller_name[:40]})
        if len(errors) == before:
            rows.append(
                _Row(number, name, mobile, model_text, vehicle_model, purchase_date, last_service, mileage, seller)
            )
    return rows


def owners_may_import(*, user, store: Store | int) -> bool:
    return has_role(user, store, CAMPAIGN_MANAGERS)


def owners_import(*, store: Store, user, file, filename: str) -> ImportReport:
    """Import existing owners from a CSV (UTF-8 with or without BOM, or GBK) or XLSX file of
    service data. Every row is checked first; when any row is bad the report lists each error and
    nothing is written. Otherwise, in one transaction: each mobile already known in the store is
    that customer (else a customer is created), and each owner (customer, model, purchase date) is
    created or updated, with its replacement-due date from the segment's cycle."""
    require(owners_may_import(user=user, store=store), _("Only the store's managers import owners."))
    report = ImportReport()
    if store.kind != Store.Kind.CAR_SHOWROOM:
        report.errors.append(RowError(0, "file", _("Owners are kept for car showrooms.")))
        return report
    data = file.read(MAX_IMPORT_BYTES + 1) if hasattr(file, "read") else bytes(file or b"")
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        report.errors.append(RowError(0, "file", _("The file is empty.")))
        return report
    if len(data) > MAX_IMPORT_BYTES:
        report.errors.append(RowError(0, "file", _("The file is larger than 5 MB.")))
        return report
    try:
        table = _read_table(data=data, filename=filename)
    except ValueError as exc:
        report.errors.append(RowError(0, "file", str(exc)))
        return report
    rows = _check_rows(store=store, table=table, report=report)
    report.rows = len(rows)
    if report.errors:
        return report
    with transaction.atomic():
        _write_rows(store=store, user=user, rows=rows, report=report)
    return report


def _write_rows(*, store: Store, user, rows: list[_Row], report: ImportReport) -> None:
    cycles = replacement_cycles_for(store=store)
    customers: dict[str, Customer] = {}
    for customer in Customer.objects.filter(store=store, mobile__in={r.mobile for r in rows}).order_by("id"):
        customers.setdefault(customer.mobile, customer)
    found = set(customers)
    for row in rows:
        if row.mobile not in customers:
            customers[row.mobile] = customer_create(
                user=user,
                store=store,
                name=row.name,
                mobile=row.mobile,
                # The owners gave their consent when they bought and serviced the car with us.
                consent_given=True,
                source=Customer.Source.EXISTING,
            )
            report.customers_created += 1
    report.customers_found = len(found)
    existing = {
        (o.customer_id, o.model_text, o.purchase_date): o
        for o in Owner.objects.select_for_update().filter(
            store=store, customer_id__in=[c.pk for c in customers.values()]
        )
    }
    to_create: dict[tuple, Owner] = {}
    to_update: dict[int, Owner] = {}
    for row in rows:
        customer = customers[row.mobile]
        segment = row.vehicle_model.segment if row.vehicle_model is not None else Segment.OTHER
        key = (customer.pk, row.model_text, row.purchase_date)
        owner = existing.get(key) or to_create.get(key)
        if owner is None:
            owner = Owner(store=store, customer=customer, model_text=row.model_text, purchase_date=row.purchase_date)
            to_create[key] = owner
        elif owner.pk is not None:
            to_update[owner.pk] = owner
        owner.vehicle_model = row.vehicle_model
        owner.replacement_due = _due(row.purchase_date, cycles.get(segment, DEFAULT_CYCLES[Segment.OTHER]))
        if row.last_service_date is not None:
            owner.last_service_date = row.last_service_date
        if row.mileage is not None:
            owner.mileage_km = row.mileage
        if row.seller is not None:
            owner.sold_by = row.seller
    Owner.objects.bulk_create(to_create.values(), batch_size=500)
    Owner.objects.bulk_update(
        to_update.values(),
        ["vehicle_model", "replacement_due", "last_service_date", "mileage_km", "sold_by"],
        batch_size=500,
    )
    report.created = len(to_create)
    report.updated = len(to_update)


# --- campaigns ----------------------------------------------------------------------------------


def campaign_may_manage(*, user, store: Store | int) -> bool:
    return has_role(user, store, CAMPAIGN_MANAGERS)


@transaction.atomic
def campaign_create(*, store: Store, user, name: str, talking_points: str, due_from, due_to, visit_on) -> Campaign:
    """A campaign for the owners whose replacement falls due in [due_from, due_to], invited to
    visit on ``visit_on`` (a day after today)."""
    require(campaign_may_manage(user=user, store=store), _("Only the showroom or sales manager creates campaigns."))
    name = (name or "").strip()
    talking_points = (talking_points or "").strip()
    errors: dict[str, list[str]] = {}
    if store.kind != Store.Kind.CAR_SHOWROOM:
        errors["store"] = [_("Campaigns are run by car showrooms.")]
    if not name:
        errors["name"] = [_("Name the campaign.")]
    elif len(name) > 120:
        errors["name"] = [_("Keep the name under 120 characters.")]
    if not talking_points:
        errors["talking_points"] = [_("Write the talking points the consultants will use.")]
    elif len(talking_points) > 4000:
        errors["talking_points"] = [_("Keep it under 4,000 characters.")]
    dates = {"due_from": due_from, "due_to": due_to, "visit_on": visit_on}
    for key, value in dates.items():
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors[key] = [_("Enter a date.")]
    if "due_from" not in errors and "due_to" not in errors:
        if due_to < due_from:
            errors["due_to"] = [_("The window ends before it starts.")]
        elif (due_to - due_from).days > MAX_WINDOW_DAYS:
            errors["due_to"] = [_("Keep the window within three years.")]
    if "visit_on" not in errors and visit_on <= local_today():
        errors["visit_on"] = [_("Invite the owners for a day after today.")]
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        store=store,
        name=name,
        talking_points=talking_points,
        due_from=due_from,
        due_to=due_to,
        visit_on=visit_on,
        distribution=frontdesk_settings_get(store=store).distribution_rule,
        created_by=user,
    )


def _store_consultant_ids(store_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            store_id=store_id, role__code=CONSULTANT, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _rotation_order(*, store: Store, consultant_ids: set[int]) -> list[int]:
    """Today's roster order of the store's consultants (everyone on it, whatever his status now:
    an invitation is a call made over the coming days), or, without a roster, every consultant of
    the store by name. The rotation continues after the consultant who received the store's last
    campaign lead; walk-in turns are neither read nor used."""
    roster = roster_get(store=store, day=local_today())
    order = [e.consultant_id for e in roster.entries.all()] if roster is not None else []
    order = [cid for cid in dict.fromkeys(order) if cid in consultant_ids]
    if not order:
        User = get_user_model()
        order = list(
            User.objects.filter(pk__in=consultant_ids)
            .order_by("first_name", "username", "pk")
            .values_list("pk", flat=True)
        )
    last = (
        Lead.objects.filter(store=store, campaign__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("consultant_id", flat=True)
        .first()
    )
    if last in order:
        start = order.index(last) + 1
        order = order[start:] + order[:start]
    return order


@dataclass
class LaunchResult:
    campaign: Campaign
    created: list[Lead] = field(default_factory=list)
    skipped: int = 0
    by_consultant: dict[int, int] = field(default_factory=dict)


def campaign_owners_due(*, campaign: Campaign):
    """The owners the campaign selects: due in its window, not bought elsewhere, whose customer has
    no open lead in the store."""
    open_lead = Lead.objects.filter(
        store_id=campaign.store_id, customer_id=OuterRef("customer_id"), state__in=Lead.OPEN_STATES
    )
    return (
        Owner.objects.filter(
            store_id=campaign.store_id,
            replacement_due__gte=campaign.due_from,
            replacement_due__lte=campaign.due_to,
            bought_elsewhere=False,
        )
        .exclude(Exists(open_lead))
        .select_related("customer", "vehicle_model", "sold_by")
        .order_by("replacement_due", "id")
    )


def _invite_due(visit_on: dt.date) -> dt.datetime:
    return dt.datetime.combine(visit_on - dt.timedelta(days=1), INVITE_AT, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def campaign_launch(*, campaign: Campaign, user) -> LaunchResult:
    """Open a lead (source "existing", the campaign's talking points as its plan note) for each
    owner the campaign selects, distributed by the store's rule, each with an invitation call due
    the day before the visit. Launching again opens leads only for owners who have none open, so
    nothing is duplicated."""
    campaign = Campaign.objects.select_for_update().select_related("store").get(pk=campaign.pk)
    store = campaign.store
    require(campaign_may_manage(user=user, store=store), _("Only the showroom or sales manager launches campaigns."))
    if campaign.visit_on <= local_today():
        raise TransitionConflict(
            _("The visit day has come; create a new campaign with a later day."), state="past_visit_day"
        )
    rule = frontdesk_settings_get(store=store).distribution_rule
    if campaign.distribution != rule:
        campaign.distribution = rule
        campaign.save(update_fields=["distribution"])
    owners = list(campaign_owners_due(campaign=campaign))
    result = LaunchResult(campaign=campaign)
    if not owners:
        return result
    consultants = _store_consultant_ids(store.pk)
    rotation = _rotation_order(store=store, consultant_ids=consultants)
    if not rotation:
        raise ValidationError({"distribution": [_("The store has no consultant to give the leads to.")]})
    User = get_user_model()
    people = User.objects.in_bulk(rotation)
    turn = 0
    seen: set[int] = set()
    due_at = _invite_due(campaign.visit_on)
    with in_site_language():
        note_head = _("Campaign “%(name)s”") % {"name": campaign.name}
    for owner in owners:
        if owner.customer_id in seen:
            result.skipped += 1
            continue
        seen.add(owner.customer_id)
        consultant = None
        if rule == Campaign.Distribution.SELLER and owner.sold_by_id in consultants:
            consultant = owner.sold_by
        if consultant is None:
            consultant = people[rotation[turn % len(rotation)]]
            turn += 1
        try:
            lead = lead_create(
                user=user,
                store=store,
                customer=owner.customer,
                consultant=consultant,
                source=Customer.Source.EXISTING,
                vehicle_model=owner.vehicle_model if owner.vehicle_model_id and owner.vehicle_model.is_active else None,
            )
        except ValidationError as exc:
            # The customer opened a lead in the meantime (a walk-in): his open lead stays the one.
            if "customer" not in getattr(exc, "error_dict", {}):
                raise
            result.skipped += 1
            continue
        lead.campaign = campaign
        lead.plan_note = f"{note_head}\n{campaign.talking_points}"
        lead.save(update_fields=["campaign", "plan_note", "updated_at"])
        with in_site_language():
            title = _("Invite %(customer)s to visit on %(day)s (%(campaign)s)") % {
                "customer": owner.customer.name,
                "day": campaign.visit_on.isoformat(),
                "campaign": campaign.name,
            }
        followup_plan_schedule(
            plan_code=INVITE_PLAN,
            target=lead,
            store=store,
            assignee=consultant,
            due_at=due_at,
            kind=FollowUp.Kind.CALL,
            title=title[:200],
            created_by=user,
        )
        result.created.append(lead)
        result.by_consultant[consultant.pk] = result.by_consultant.get(consultant.pk, 0) + 1
    return result


# --- bought elsewhere ---------------------------------------------------------------------------


def owner_open_campaign_lead(*, owner: Owner) -> Lead | None:
    return (
        Lead.objects.filter(
            store_id=owner.store_id,
            customer_id=owner.customer_id,
            campaign__isnull=False,
            state__in=Lead.OPEN_STATES,
        )
        .select_related("consultant")
        .first()
    )


def owner_may_mark(*, owner: Owner, user, lead: Lead | None) -> bool:
    if has_role(user, owner.store_id, LEAD_MANAGERS):
        return True
    return lead is not None and lead.consultant_id == user.pk and has_role(user, owner.store_id, CONSULTANT)


@transaction.atomic
def owner_mark_bought_elsewhere(*, owner: Owner, user, brand: str, model: str, reason_id=None, note: str = "") -> Owner:
    """The owner bought his next car elsewhere: he is marked (and no campaign selects him again);
    when he has an open campaign lead, its lost request goes to the showroom manager with that
    brand and model (and the reason, from the store's list)."""
    owner = Owner.objects.select_for_update().select_related("customer").get(pk=owner.pk)
    lead = owner_open_campaign_lead(owner=owner)
    require(
        owner_may_mark(owner=owner, user=user, lead=lead),
        _("Only the store's managers or the consultant of the owner's campaign lead may do this."),
    )
    brand = (brand or "").strip()
    model = (model or "").strip()
    errors: dict[str, list[str]] = {}
    if not brand:
        errors["brand"] = [_("Name the brand the owner bought.")]
    elif len(brand) > 60:
        errors["brand"] = [_("Keep the brand under 60 characters.")]
    if not model:
        errors["model"] = [_("Name the model the owner bought.")]
    elif len(model) > 80:
        errors["model"] = [_("Keep the model under 80 characters.")]
    if errors:
        raise ValidationError(errors)
    if lead is not None:
        try:
            lead_lost_request(
                lead=lead,
                user=user,
                competitor_brand=brand,
                competitor_model=model,
                reason_id=reason_id,
                note=note or _("Bought elsewhere (base-customer campaign)."),
            )
        except ValidationError as exc:
            fields = {"competitor_brand": "brand", "competitor_model": "model"}
            raise ValidationError(
                {fields.get(key, key): messages for key, messages in exc.message_dict.items()}
            ) from exc
    owner.bought_elsewhere = True
    owner.save(update_fields=["bought_elsewhere"])
    return owner


__all__ = [
    "CAMPAIGN_MANAGERS",
    "CYCLE_EDITORS",
    "DEFAULT_CYCLES",
    "INVITE_PLAN",
    "ImportReport",
    "LaunchResult",
    "RowError",
    "campaign_create",
    "campaign_launch",
    "campaign_may_manage",
    "campaign_owners_due",
    "owner_mark_bought_elsewhere",
    "owner_open_campaign_lead",
    "owners_import",
    "owners_may_import",
    "replacement_cycle_set",
    "replacement_cycles_for",
]
