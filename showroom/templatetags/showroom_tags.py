from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from showroom.money import format_cny
from showroom.validators import mask_mobile, national_mobile

register = template.Library()

# One colour meaning across the product (UI.md): grey new/draft, blue in progress,
# amber waiting, green done/approved, red refused/lost/cancelled/overdue.
STATE_COLOURS = {
    "secondary": {"new", "draft", "open", "planned", "dormant", "requested"},
    "primary": {
        "in_progress",
        "active",
        "started",
        "following",
        "booked",
        "scheduled",
        "checked_in",
        "picking",
        "counting",
        "contacted",
        "visited",
        "test_driven",
        "negotiating",
    },
    "warning": {"pending", "waiting", "submitted", "awaiting_payment", "reserved", "due", "escalated"},
    "success": {"done", "approved", "completed", "delivered", "closed", "paid", "signed", "won", "received", "ready"},
    "danger": {"rejected", "lost", "cancelled", "overdue", "withdrawn", "missed", "failed", "defeated", "no_show"},
}
_COLOUR_OF = {state: colour for colour, states in STATE_COLOURS.items() for state in states}


@register.simple_tag
def state_badge(state: str, label: str = ""):
    colour = _COLOUR_OF.get(str(state), "secondary")
    text_class = " text-dark" if colour == "warning" else ""
    return format_html(
        '<span class="badge text-bg-{}{}" data-state="{}">{}</span>',
        colour,
        text_class,
        state,
        label or state,
    )


@register.filter
def cny(value):
    if value in (None, ""):
        return ""
    return format_cny(Decimal(value))


@register.simple_tag
def relative_time(value):
    """ "3 hours ago" in lists, the exact time on hover."""
    if not value:
        return ""
    local = timezone.localtime(value)
    exact = local.strftime("%Y-%m-%d %H:%M")
    now = timezone.now()
    if abs((now - value).total_seconds()) < 60:
        text = _("just now")
    elif value <= now:
        text = _("%(time)s ago") % {"time": timesince(value, now, depth=1)}
    else:
        text = _("in %(time)s") % {"time": timesince(now, value, depth=1)}
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(), exact, text)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def masked_mobile(value):
    return mask_mobile(value)


@register.simple_tag
def approval_kind_label(code):
    from showroom.approval_kinds import kind_label

    return kind_label(code)


@register.simple_tag
def approval_value(approval):
    from showroom.services.approvals import format_value

    if approval.unit == "none":
        return "—"
    return format_value(approval.value, approval.unit)


@register.filter
def person(user):
    """A user as people call him: the full name, else the login."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def live_owner(customer):
    """The consultant who owns the customer now, or None (nobody, or the protection lapsed)."""
    from showroom.selectors.customers import customer_owner_live

    return customer_owner_live(customer=customer)


@register.filter
def national(value):
    """A stored E.164 mobile as people read it (13812345678)."""
    return national_mobile(value)


@register.simple_tag
def consultant_rows(rows) -> str:
    """The rows of the dashboard's consultant table. Built here rather than with template loops:
    fifty consultants × fifteen columns made the loops' nodes (and formatting each number anew)
    most of the page's rendering time in a large store. Every value is escaped."""
    from django.utils.formats import localize
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    shown: dict = {}  # (type, value) -> its localized, escaped text: the same numbers recur

    def text(value) -> str:
        key = (type(value), value)
        if key not in shown:
            shown[key] = escape(localize(value))
        return shown[key]

    codes: dict = {}
    html = []
    for row in rows:
        html.append(
            f'<tr data-consultant="{escape(row["consultant"].pk)}"><th scope="row" class="fw-normal">'
            f"{escape(row['name'])}</th>"
        )
        for cell in row["cells"]:
            code = codes.get(cell["code"]) or codes.setdefault(cell["code"], escape(cell["code"]))
            value = cell["value"]
            if value is None:
                inner = "—"
            elif cell["url"]:
                inner = f'<a href="{escape(cell["url"])}">{text(value)}</a>'
            else:
                inner = text(value) + ("%" if cell.get("rate") else "")
            html.append(f'<td class="text-end" data-code="{code}">{inner}</td>')
        html.append("</tr>")
    return mark_safe("".join(html))
