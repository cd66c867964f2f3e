"""The mortgage calculator: a public page for visitors (no login, no store data) and the same
calculator inside a subscription with its price."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from realestate import selectors
from realestate.mortgage import DEFAULTS, mortgage_compute


def _calculate(request, *, price=None) -> tuple[dict, int]:
    data = request.GET.dict()
    if price is not None:
        data["price"] = str(price)
    given = {k: v for k, v in data.items() if v != ""}
    values = {
        **{k: str(v) for k, v in DEFAULTS.items()},
        "loan_type": "commercial",
        "method": "equal_instalment",
        **given,
    }
    context = {"values": values, "result": None, "errors": {}}
    if "price" not in data:
        return context, 200
    try:
        context["result"] = mortgage_compute(data=data)
    except ValidationError as exc:
        context["errors"] = exc.message_dict
        return context, 400
    return context, 200


def calculator_public(request):
    context, status = _calculate(request)
    context["public"] = True
    return render(request, "realestate/calculator_public.html", context, status=status)


@login_required
def subscription_calculator(request, pk: int):
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    context, status = _calculate(request, price=sub.total_price)
    context["sub"] = sub
    return render(request, "realestate/calculator.html", context, status=status)
