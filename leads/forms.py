"""Forms of the leads pages: they parse input; the rules are the services', whose field errors are
put back on these fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leads.models import Brand, GradeRule, Lead, LeadContact, VehicleModel
from showroom.forms import BootstrapFormMixin
from showroom.models import Customer
from showroom.money import to_decimal

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MoneyField(forms.DecimalField):
    """Accepts ``1,234.50``, ``1234.5`` and ``¥1,234``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = to_decimal(value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Enter an amount in yuan, e.g. 1,234.50."), code="invalid") from exc
        return super().to_python(value)


class ServiceErrorsMixin(BootstrapFormMixin):
    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for name, messages in errors.items():
            field = name if name in self.fields else None
            for message in messages:
                self.add_error(field, message)


def _model_choices():
    rows = VehicleModel.objects.filter(is_active=True, brand__is_own=True).select_related("brand")
    return [("", "—")] + [(m.pk, str(m)) for m in rows.order_by("brand__name", "name")]


def _trim_choices():
    from leads.selectors import trims_for_select

    return [("", "—")] + [(t.pk, str(t)) for t in trims_for_select().order_by("vehicle_model__name", "list_price")]


class LeadFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Customer name or phone digits")}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    consultant = forms.TypedChoiceField(label=_("Consultant"), required=False, coerce=int, empty_value=None)
    vehicle_model = forms.TypedChoiceField(label=_("Vehicle of interest"), required=False, coerce=int, empty_value=None)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, consultants=(), models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *Lead.State.choices]
        self.fields["grade"].choices = [("", _("All grades")), *GradeRule.Grade.choices]
        self.fields["consultant"].choices = [("", _("All consultants"))] + [
            (c.pk, c.get_full_name() or c.get_username()) for c in consultants
        ]
        self.fields["vehicle_model"].choices = [("", _("All models"))] + [(m.pk, str(m)) for m in models]


class CustomerLookupForm(BootstrapFormMixin, forms.Form):
    mobile = forms.CharField(
        label=_("Customer's mobile"),
        max_length=30,
        help_text=_("We look for the customer first, so no one is entered twice."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "data-format": "cn-mobile"}),
    )


class LeadFieldsForm(ServiceErrorsMixin, forms.Form):
    """The lead's own fields on the new-lead form."""

    consultant = forms.TypedChoiceField(label=_("Consultant"), coerce=int, empty_value=None, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Customer.Source.choices, initial="walk_in")
    vehicle_model = forms.TypedChoiceField(label=_("Vehicle of interest"), coerce=int, empty_value=None, required=False)
    trim = forms.TypedChoiceField(label=_("Trim"), coerce=int, empty_value=None, required=False)
    budget = MoneyField(label=_("Budget (¥)"), required=False)
    purchase_timeline = forms.ChoiceField(
        label=_("Purchase timeline"), choices=Lead.Timeline.choices, initial=Lead.Timeline.MONTH
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        help_text=_("Leave empty to take the grade the purchase timeline stands for."),
    )

    def __init__(self, *args, consultants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", _("Me"))] + [
            (c.pk, c.get_full_name() or c.get_username()) for c in consultants
        ]
        self.fields["vehicle_model"].choices = _model_choices()
        self.fields["trim"].choices = _trim_choices()
        self.fields["grade"].choices = [("", _("From the timeline")), *GradeRule.Grade.choices]


class NewCustomerForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Customer's name"), max_length=80)
    consent_given = forms.BooleanField(label=_("The customer consents to us storing personal data"), required=False)


class NeedsForm(ServiceErrorsMixin, forms.Form):
    vehicle_model = forms.TypedChoiceField(label=_("Vehicle of interest"), coerce=int, empty_value=None, required=False)
    trim = forms.TypedChoiceField(label=_("Trim"), coerce=int, empty_value=None, required=False)
    budget = MoneyField(label=_("Budget (¥)"), required=False)
    purchase_timeline = forms.ChoiceField(label=_("Purchase timeline"), choices=Lead.Timeline.choices)
    usage = forms.CharField(label=_("Usage"), max_length=200, required=False)
    passengers = forms.IntegerField(label=_("Passengers"), required=False, min_value=1, max_value=60)
    body_type = forms.CharField(label=_("Body type"), max_length=60, required=False)
    key_criteria = forms.CharField(label=_("Key criteria"), max_length=300, required=False)
    models_compared = forms.CharField(label=_("Models compared"), max_length=300, required=False)
    trade_in = forms.BooleanField(label=_("Has a car to trade in"), required=False)
    trade_in_details = forms.CharField(
        label=_("Trade-in car"),
        max_length=300,
        required=False,
        help_text=_("Brand, model, year, mileage."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle_model"].choices = _model_choices()
        self.fields["trim"].choices = _trim_choices()

    @classmethod
    def for_lead(cls, lead: Lead, data=None):
        initial = {name: getattr(lead, name) for name in cls.base_fields if name not in ("vehicle_model", "trim")}
        initial["vehicle_model"] = lead.vehicle_model_id
        initial["trim"] = lead.trim_id
        return cls(data, initial=initial, prefix="needs")


class ContactForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LeadContact._meta.get_field("kind").choices, initial="call")
    summary = forms.CharField(
        label=_("What was said or agreed"),
        required=False,  # required by the service, which says so in the user's words
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class GradeForm(ServiceErrorsMixin, forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=GradeRule.Grade.choices)


class PlanConfirmForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Follow-up plan and talking points"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ObjectionForm(ServiceErrorsMixin, forms.Form):
    objection = forms.CharField(label=_("Objection"), max_length=300, required=False)
    answer = forms.CharField(
        label=_("How it was answered"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolved = forms.BooleanField(label=_("Resolved"), required=False)


class ObjectionAnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("How it was answered"), required=False, max_length=4000)
    resolved = forms.BooleanField(label=_("Resolved"), required=False)


class AppraisalForm(ServiceErrorsMixin, forms.Form):
    car_details = forms.CharField(
        label=_("Car"), max_length=300, required=False, help_text=_("Brand, model, year, mileage.")
    )
    licence_plate = forms.CharField(label=_("Licence plate (the customer drove in)"), max_length=12, required=False)


class LostForm(ServiceErrorsMixin, forms.Form):
    competitor_brand = forms.CharField(label=_("Brand bought"), max_length=60, required=False)
    competitor_model = forms.CharField(label=_("Model bought"), max_length=80, required=False)
    reason_id = forms.TypedChoiceField(label=_("Reason"), coerce=int, empty_value=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_id"].choices = [("", "—")] + [(r.pk, r.text) for r in reasons]


class CheckForm(BootstrapFormMixin, forms.Form):
    consultant = forms.TypedChoiceField(label=_("Consultant"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, consultants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", _("All consultants"))] + [
            (c.pk, c.get_full_name() or c.get_username()) for c in consultants
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end comes after the start."))
            elif (end - start).days > 366:
                self.add_error("end", _("Choose at most a year."))
        return data


class DayForm(BootstrapFormMixin, forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


# --- the catalogue ------------------------------------------------------------------------------


class BrandForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    is_own = forms.BooleanField(label=_("We sell it"), required=False, initial=True)


class VehicleModelForm(ServiceErrorsMixin, forms.Form):
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.order_by("-is_own", "name"))
    name = forms.CharField(label=_("Name"), max_length=80)
    segment = forms.ChoiceField(label=_("Segment"), choices=VehicleModel.Segment.choices)
    consultant_discount_limit = MoneyField(
        label=_("Consultant's discount limit (¥)"),
        help_text=_("A quote discount up to this amount needs no approval."),
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)


class TrimForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    list_price = MoneyField(label=_("List price (¥)"))
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)


class ColourForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    code = forms.CharField(label=_("Paint code"), max_length=20, required=False)


class PriceForm(ServiceErrorsMixin, forms.Form):
    list_price = MoneyField(label=_("List price (¥)"))
