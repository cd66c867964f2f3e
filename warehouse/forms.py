"""Forms of the warehouse's entry pages (new purchase order, goods receipt, transfer, other
receipt). They parse the page's input into what the services take; the rules (matching a
delivery note against the orders, bins of the right warehouse, serials) stay in the services,
whose errors the views put back next to the fields and lines.

Choice lists are loaded once per page (``EntryChoices``) and handed to every line form, so a
page's queries do not grow with its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showroom.forms import BootstrapFormMixin
from showroom.money import to_decimal
from showroom.permissions import store_ids_for
from warehouse.models import Bin, Item, OtherReceipt, PurchaseOrder, PurchaseRequest, Supplier, Warehouse

LINE_NUMBER = re.compile(r"(\d+)")


@dataclass
class EntryChoices:
    """What an entry page offers: the warehouses the user may create in (``own``), every
    warehouse of the user's stores (a transfer's destination), their bins and the suppliers."""

    own: list[Warehouse]
    warehouses: list[Warehouse]
    bins: list[Bin]
    suppliers: list[Supplier] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)


def entry_choices(*, user, roles, suppliers: bool = False, orders: bool = False) -> EntryChoices:
    """One query for the warehouses of the user's stores, one for their bins, and (if asked) one
    for the suppliers and one for the numbers of the approved orders of the stores where the user
    holds ``roles``."""
    creating = set(store_ids_for(user, roles))
    warehouses = list(
        Warehouse.objects.filter(store_id__in=store_ids_for(user), is_active=True)
        .select_related("store")
        .order_by("store__code", "code")
    )
    own = [w for w in warehouses if w.store_id in creating]
    bins = list(
        Bin.objects.filter(warehouse__in=warehouses).select_related("warehouse").order_by("warehouse__code", "code")
    )
    return EntryChoices(
        own=own,
        warehouses=warehouses,
        bins=bins,
        suppliers=list(Supplier.objects.order_by("code")) if suppliers else [],
        orders=list(
            PurchaseOrder.objects.filter(store_id__in=creating, state=PurchaseOrder.State.APPROVED)
            .exclude(number="")
            .order_by("-approved_at", "-id")
            .values_list("number", flat=True)[:200]
        )
        if orders
        else [],
    )


class ObjectChoiceField(forms.ChoiceField):
    """A select over objects loaded beforehand; cleans to the object (no query per form)."""

    def __init__(self, *, objects=(), label_of=str, **kwargs):
        self.objects: dict[str, object] = {}
        self.label_of = label_of
        super().__init__(**kwargs)
        self.set_objects(objects)

    def set_objects(self, objects) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [("", "—")] + [(key, self.label_of(obj)) for key, obj in self.objects.items()]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = self.objects.get(str(value))
        if obj is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return obj

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def valid_value(self, value) -> bool:
        return str(value) in self.objects


def bin_label(bin: Bin) -> str:
    return f"{bin.warehouse.name} · {bin.code}"


class NumberField(forms.DecimalField):
    """Accepts ``1,234.50`` and ``1234.5`` (and a leading ¥ on money)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = to_decimal(value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Enter a number, e.g. 1,234.5."), code="invalid") from exc
        return super().to_python(value)


class ItemField(forms.CharField):
    """The item by its code (typed, or picked from the search list beside the field)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", pgettext_lazy("goods", "Item"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "item-options",
                    "autocomplete": "off",
                    "placeholder": _("Code or name"),
                    # htmx fills the shared <datalist id="item-options"> as the user types
                    "hx-get": reverse_lazy("warehouse:item_search"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#item-options",
                    "hx-swap": "innerHTML",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        item = Item.objects.filter(code__iexact=code.strip(), is_active=True).first()
        if item is None:
            raise ValidationError(_("No item has the code “%(code)s”. Search by code or name."), params={"code": code})
        if not item.is_stocked:
            raise ValidationError(_("%(item)s is a service: it is never stocked."), params={"item": item})
        return item


class LineForm(BootstrapFormMixin, forms.Form):
    """A line of an entry page. ``choices`` are the page's ``EntryChoices``."""

    def __init__(self, *args, choices: EntryChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices

    @property
    def line_errors(self) -> list[str]:
        """The errors of the line as a whole (the service's reasons for it)."""
        return list(self.non_field_errors())


class LineFormSet(forms.BaseFormSet):
    """Lines of an entry page: empty extra rows are ignored, ticked ones removed."""

    def filled(self) -> list[tuple[forms.Form, dict]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            rows.append((form, {k: v for k, v in data.items() if k != "DELETE"}))
        return rows


def line_formset(form_class, *, extra: int = 1):
    return forms.formset_factory(form_class, formset=LineFormSet, extra=extra, can_delete=True, max_num=200)


def quiet(*forms_) -> None:
    """Re-render bound forms without validating them ("add a line" keeps what was typed and
    shows no errors yet)."""
    for form in forms_:
        if isinstance(form, forms.BaseFormSet):
            form._errors = []
            form._non_form_errors = form.error_class(error_class="nonform")
            quiet(*form.forms)
        else:
            form._errors = ErrorDict()


def service_errors(*, exc: ValidationError, header: forms.Form, lines: LineFormSet, rows) -> None:
    """Put a service's ``ValidationError`` back on the page: field errors next to the fields,
    the reasons per line (``Line 2: …``) next to that line, anything else at the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages in errors.items():
        for message in messages:
            if name in header.fields:
                header.add_error(name, message)
            elif name == "lines":
                match = LINE_NUMBER.search(message)
                number = int(match.group(1)) if match else 0
                if 1 <= number <= len(rows):
                    rows[number - 1][0].add_error(None, message)
                else:
                    lines._non_form_errors = lines.non_form_errors() + ErrorList([message])
            else:
                header.add_error(None, message)


# --- purchase orders ------------------------------------------------------------------------
class OrderForm(BootstrapFormMixin, forms.Form):
    warehouse = ObjectChoiceField(label=_("Warehouse"))
    supplier = ObjectChoiceField(label=_("Supplier"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].set_objects(choices.own)
        self.fields["supplier"].set_objects(choices.suppliers)
        if len(choices.own) == 1:
            self.fields["warehouse"].initial = choices.own[0].pk


class OrderLineForm(LineForm):
    item = ItemField()
    specification = forms.CharField(
        label=_("Specification"), max_length=160, required=False, help_text=_("Blank: the item's own.")
    )
    quantity = NumberField(label=_("Quantity"), decimal_places=3, min_value=0)
    unit_cost = NumberField(label=_("Unit price (¥)"), decimal_places=4, min_value=0)


class RequestForm(BootstrapFormMixin, forms.Form):
    """A purchase request: one item a warehouse needs (purchasing confirms it into an order)."""

    warehouse = ObjectChoiceField(label=_("Warehouse"))
    item = ItemField()
    quantity = NumberField(label=_("Quantity"), decimal_places=3, min_value=0)
    reason = forms.ChoiceField(label=_("Reason"), choices=PurchaseRequest.Reason.choices)

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].set_objects(choices.own)
        if len(choices.own) == 1:
            self.fields["warehouse"].initial = choices.own[0].pk


# --- goods receipts ---------------------------------------------------------------------------
class ReceiptForm(BootstrapFormMixin, forms.Form):
    supplier = ObjectChoiceField(label=_("Supplier"))
    note_number = forms.CharField(label=_("Delivery note number"), max_length=60)
    stamped = forms.BooleanField(label=_("The note carries the supplier's stamp"), required=False)
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=80, required=False, help_text=_("The signer's name, if it is not stamped.")
    )
    certificate = forms.CharField(label=_("Quality certificate number"), max_length=120)
    warehouse = ObjectChoiceField(label=_("Warehouse"))
    bin = ObjectChoiceField(label=_("Bin"), label_of=bin_label)
    deliver_to = ObjectChoiceField(
        label=_("Send on to"), required=False, help_text=_("Only for a delivery that goes on to another warehouse.")
    )

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].set_objects(choices.suppliers)
        self.fields["warehouse"].set_objects(choices.own)
        own = {w.pk for w in choices.own}
        self.fields["bin"].set_objects([b for b in choices.bins if b.warehouse_id in own])
        self.fields["deliver_to"].set_objects(choices.warehouses)
        if len(choices.own) == 1:
            self.fields["warehouse"].initial = choices.own[0].pk


class ReceiptLineForm(LineForm):
    order_number = forms.CharField(
        label=_("Order number"),
        max_length=30,
        widget=forms.TextInput(attrs={"list": "order-options", "autocomplete": "off"}),
    )
    item = ItemField()
    specification = forms.CharField(
        label=_("Specification"), max_length=160, required=False, help_text=_("As on the note; blank: the item's own.")
    )
    quantity = NumberField(label=_("Quantity"), decimal_places=3, min_value=0)
    serials = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Serial-tracked goods: one number per unit, separated by spaces or lines."),
    )

    def clean_serials(self) -> list[str]:
        return [s for s in re.split(r"[\s,，;；]+", self.cleaned_data.get("serials") or "") if s]

    def clean(self):
        data = super().clean()
        # An order line without a specification of its own carries the item's (see
        # purchase_order_create); a note line left blank means the same.
        if data.get("item") is not None and not (data.get("specification") or "").strip():
            data["specification"] = data["item"].specification
        return data


# --- transfers --------------------------------------------------------------------------------
class TransferForm(BootstrapFormMixin, forms.Form):
    from_warehouse = ObjectChoiceField(label=_("From warehouse"))
    to_warehouse = ObjectChoiceField(label=_("To warehouse"))
    to_bin = ObjectChoiceField(label=_("Into bin"), label_of=bin_label)

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_warehouse"].set_objects(choices.own)
        self.fields["to_warehouse"].set_objects(choices.warehouses)
        self.fields["to_bin"].set_objects(choices.bins)
        if len(choices.own) == 1:
            self.fields["from_warehouse"].initial = choices.own[0].pk


class TransferLineForm(LineForm):
    item = ItemField()
    from_bin = ObjectChoiceField(label=_("From bin"), label_of=bin_label)
    quantity = NumberField(label=_("Quantity"), decimal_places=3, min_value=0, initial=1)
    serial = forms.CharField(
        label=pgettext_lazy("one unit's number", "Serial number"),
        max_length=40,
        required=False,
        help_text=_("Serial-tracked goods: one line per unit."),
    )

    def __init__(self, *args, choices: EntryChoices | None = None, **kwargs):
        super().__init__(*args, choices=choices, **kwargs)
        if choices is not None:
            own = {w.pk for w in choices.own}
            self.fields["from_bin"].set_objects([b for b in choices.bins if b.warehouse_id in own])


# --- other receipts ---------------------------------------------------------------------------
class OtherReceiptForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OtherReceipt.Kind.choices)
    source_label = forms.CharField(
        label=_("Source document"),
        max_length=80,
        help_text=_("The trade-in appraisal or the returned sales slip, by its number."),
    )
    warehouse = ObjectChoiceField(label=_("Warehouse"))
    bin = ObjectChoiceField(label=_("Bin"), label_of=bin_label)

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].set_objects(choices.own)
        own = {w.pk for w in choices.own}
        self.fields["bin"].set_objects([b for b in choices.bins if b.warehouse_id in own])
        if len(choices.own) == 1:
            self.fields["warehouse"].initial = choices.own[0].pk


class OtherReceiptLineForm(LineForm):
    item = ItemField()
    quantity = NumberField(label=_("Quantity"), decimal_places=3, min_value=0, initial=1)
    unit_cost = NumberField(label=_("Unit cost (¥)"), decimal_places=4, min_value=0)
    serial_number = forms.CharField(
        label=pgettext_lazy("one unit's number", "Serial number"),
        max_length=40,
        required=False,
        help_text=_("Serial-tracked goods: the unit's number (a car's VIN)."),
    )
