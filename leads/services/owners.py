"""Base customers (基盘客户): replacement cycles per model segment and the import of existing owners
from service data. The import checks every row first and writes only when every row is good, in one
transaction: a file with one bad row imports nothing and reports each bad row (row number, field,
message)."""

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import Owner, ReplacementCycle, VehicleModel
from leads.services._common import require
from showroom.models import Customer, Membership, Store
from showroom.permissions import has_role
from showroom.roles import GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER
from showroom.selectors.frontdesk import local_today
from showroom.services.customers import customer_create
from showroom.validators import normalize_mobile

#: Who imports owners, creates and launches campaigns.
CAMPAIGN_MANAGERS = (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER)
#: Who edits the replacement cycles ("editable by the sales manager").
CYCLE_EDITORS = (SALES_MANAGER, GENERAL_MANAGER)
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
            mobile = normalize_mobile(_cell_text(cell(row, "mobile")))
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
