"""The front-desk pages' forms: the quick adds, the handover, the override and the settings."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.forms import BootstrapFormMixin
from showroom.models import FrontDeskSettings, Visit

# --- forms -------------------------------------------------------------------------------------


class VisitQuickForm(BootstrapFormMixin, forms.Form):
    """The walk-in quick add: a source and "Log walk-in" are the two clicks; the rest has defaults."""

    source = forms.ChoiceField(label=gettext_lazy("Source"), widget=forms.RadioSelect, required=False)
    purpose = forms.ChoiceField(
        label=gettext_lazy("Purpose"),
        choices=Visit.Purpose.choices,
        initial=Visit.Purpose.LOOK,
        widget=forms.RadioSelect,
    )
    first_visit = forms.TypedChoiceField(
        label=gettext_lazy("First or return visit"),
        choices=[("1", gettext_lazy("First visit")), ("0", gettext_lazy("Return visit"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    party_size = forms.IntegerField(label=gettext_lazy("Party size"), initial=1, min_value=1, max_value=50)
    arrived_at = forms.TimeField(
        label=gettext_lazy("Time in"),
        required=False,
        help_text=gettext_lazy("Empty: now."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    licence_plate = forms.CharField(
        label=gettext_lazy("Licence plate"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("When the visitor drove in, e.g. 沪A12345."),
    )
    consultant = forms.TypedChoiceField(
        label=gettext_lazy("Consultant asked for"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("Only when the customer asks for someone; otherwise assign the next one in turn."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=2000)
    customer_mobile = forms.CharField(
        label=gettext_lazy("Customer's mobile"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("A known number finds the customer; a new one registers them."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "data-format": "cn-mobile"}),
    )
    customer_name = forms.CharField(label=gettext_lazy("Customer's name"), required=False, max_length=80)
    customer_consent = forms.BooleanField(
        label=gettext_lazy("The visitor consents to us storing the number"), required=False
    )

    def __init__(self, *args, sources=(), consultants=(), **kwargs):
        kwargs.setdefault("auto_id", "visit_%s")
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(str(s.pk), s.label) for s in sources]
        self.fields["consultant"].choices = [("", "—")] + [(c.pk, c.get_full_name() or c.username) for c in consultants]
        for name in ("source", "purpose", "first_visit"):
            self.fields[name].widget.attrs["class"] = "btn-check"
        # While the number is typed, the desk sees whether it is a returning customer and his owner.
        self.fields["customer_mobile"].widget.attrs |= {
            "hx-get": reverse("frontdesk:customer_lookup"),
            "hx-trigger": "input changed delay:300ms, change",
            "hx-target": "#customer-lookup",
            "hx-swap": "innerHTML",
        }


class CallQuickForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    question = forms.CharField(label=gettext_lazy("Question"), max_length=2000, required=False)
    callback_agreed_at = forms.DateTimeField(
        label=gettext_lazy("Callback agreed for"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    callback_note = forms.CharField(label=gettext_lazy("Callback note"), max_length=200, required=False)
    consultant = forms.TypedChoiceField(label=gettext_lazy("Consultant"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, consultants=(), **kwargs):
        kwargs.setdefault("auto_id", "call_%s")
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", "—")] + [(c.pk, c.get_full_name() or c.username) for c in consultants]


class HandoverForm(BootstrapFormMixin, forms.Form):
    next_receptionist = forms.TypedChoiceField(
        label=gettext_lazy("Hand over to"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(
        label=gettext_lazy("Handover note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Who is still in the showroom and what they wait for."),
    )

    def __init__(self, *args, staff=(), **kwargs):
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)
        self.fields["next_receptionist"].choices = [("", _("Nobody yet (the next one opens a shift)"))] + [
            (u.pk, u.get_full_name() or u.username) for u in staff
        ]


class OverrideForm(BootstrapFormMixin, forms.Form):
    visit = forms.TypedChoiceField(label=gettext_lazy("Walk-in"), coerce=int, empty_value=None, required=False)
    consultant = forms.TypedChoiceField(label=gettext_lazy("Consultant"), coerce=int, empty_value=None)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,  # required by the service, which says so in the user's words
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, visits=(), entries=(), **kwargs):
        kwargs.setdefault("auto_id", "override_%s")
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", _("No walk-in (a lead)"))] + [
            (v.pk, _visit_choice_label(v)) for v in visits
        ]
        self.fields["consultant"].choices = [
            (e.consultant_id, e.consultant.get_full_name() or e.consultant.username) for e in entries
        ]


def _visit_choice_label(visit: Visit) -> str:
    when = timezone.localtime(visit.arrived_at).strftime("%H:%M")
    who = visit.consultant.get_full_name() if visit.consultant_id else _("not assigned")
    return f"{when} · {visit.get_purpose_display()} · {visit.party_size} · {who}"


class SettingsForm(BootstrapFormMixin, forms.Form):
    shift_minutes = forms.IntegerField(label=gettext_lazy("Receptionist shift (minutes)"), min_value=30, max_value=720)
    overdue_skip_hours = forms.IntegerField(
        label=gettext_lazy("Skip a consultant with follow-ups overdue by more than (hours)"),
        min_value=1,
        max_value=720,
    )
    distribution_rule = forms.ChoiceField(
        label=gettext_lazy("Distribution of campaign leads"),
        choices=FrontDeskSettings.DistributionRule.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "settings_%s")
        super().__init__(*args, **kwargs)
