"""``{% may_create "order" as may %}``: whether the user may create that kind of warehouse record
(the list pages show their "New …" button only then). Reads the memberships cached on the user."""

from django import template

from warehouse.views.entry import may_create as _may_create

register = template.Library()


@register.simple_tag(takes_context=True)
def may_create(context, kind: str) -> bool:
    request = context.get("request")
    return bool(request is not None and _may_create(request.user, kind))
