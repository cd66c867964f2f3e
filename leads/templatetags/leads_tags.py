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
