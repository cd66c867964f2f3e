from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showroom.models import Customer


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in [field] if field else []:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class CustomerForm(BootstrapFormMixin, forms.Form):
    """Parses the page's input; the rules (valid mobile, ID check digit, consent) are the
    service's, whose errors are put back on these fields."""

    name = forms.CharField(label=_("Name"), max_length=80)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=30,
        help_text=_("11 digits, e.g. 138 1234 5678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "data-format": "cn-mobile"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=30, required=False, help_text=_("Optional; 18 characters.")
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Customer.Gender.choices, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Customer.Source.choices, initial="walk_in")
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent_given = forms.BooleanField(label=_("The customer consents to us storing personal data"), required=False)

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for name, messages in errors.items():
            field = name if name in self.fields else None
            for message in messages:
                self.add_error(field, message)


class CustomerEditForm(CustomerForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent_given"]


class CustomerFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or phone digits")}),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Customer.Source.choices]
    )
    ownership = forms.ChoiceField(
        label=pgettext_lazy("customer owner", "Owner"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("mine", _("My customers")),
            ("owned", _("Owned by a consultant")),
            ("pool", _("In the pool (nobody owns)")),
        ],
    )
