"""Badges of the leads pages, in the product's one colour meaning (UI.md)."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from showroom.templatetags.showroom_tags import state_badge

register = template.Library()

# The lead's states in the product's colours: grey new, blue in progress, green won, red lost; a
# dormant lead is grey like a new one. The core's badge does not know these names, so they are
# mapped onto the state whose colour they share and shown with their own label and data-state.
_LEAD_STATE_AS = {
    "new": "new",
    "contacted": "in_progress",
    "visited": "in_progress",
    "test_driven": "in_progress",
    "negotiating": "in_progress",
    "won": "won",
    "lost": "lost",
    "dormant": "draft",
}
_GRADE_CLASSES = {
    "H": "text-bg-danger",
    "A": "text-bg-warning text-dark",
    "B": "text-bg-primary",
    "C": "text-bg-secondary",
}


@register.simple_tag
def lead_state_badge(state: str, label: str = ""):
    shown_as = _LEAD_STATE_AS.get(str(state), str(state))
    html = state_badge(shown_as, label or state)
    # Keep the real state in data-state (tests and scripts read it); both values are escaped.
    return mark_safe(str(html).replace(f'data-state="{escape(shown_as)}"', f'data-state="{escape(state)}"', 1))


@register.simple_tag
def grade_badge(grade: str):
    return format_html(
        '<span class="badge {}" data-grade="{}" title="{}">{}</span>',
        _GRADE_CLASSES.get(str(grade), "text-bg-light border"),
        grade,
        grade,
        grade,
    )
