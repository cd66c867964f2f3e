"""Badges of the leads pages, in the product's one colour meaning (UI.md)."""

from django import template
from django.utils.html import format_html

register = template.Library()

_GRADE_CLASSES = {
    "H": "text-bg-danger",
    "A": "text-bg-warning text-dark",
    "B": "text-bg-primary",
    "C": "text-bg-secondary",
}


@register.simple_tag
def grade_badge(grade: str):
    return format_html(
        '<span class="badge {}" data-grade="{}" title="{}">{}</span>',
        _GRADE_CLASSES.get(str(grade), "text-bg-light border"),
        grade,
        grade,
        grade,
    )


# Quote and order states in the product's one colour meaning (grey draft, blue in progress, amber
# waiting, green done, red refused/cancelled/expired).
SALES_STATE_COLOURS = {
    "draft": "secondary",
    "superseded": "secondary",
    "pending_approval": "warning",
    "approved": "success",
    "sent": "primary",
    "accepted": "success",
    "rejected": "danger",
    "expired": "danger",
    "awaiting_deposit": "warning",
    "deposit_paid": "primary",
    "allocated": "primary",
    "invoiced": "warning",
    "paid": "success",
    "ready": "success",
    "cancelled": "danger",
    "offered": "warning",
    "declined": "danger",
}


@register.simple_tag
def sales_badge(state: str, label: str = ""):
    from django.utils.html import format_html

    colour = SALES_STATE_COLOURS.get(str(state), "secondary")
    text_class = " text-dark" if colour == "warning" else ""
    return format_html(
        '<span class="badge text-bg-{}{}" data-state="{}">{}</span>', colour, text_class, state, label or state
    )
