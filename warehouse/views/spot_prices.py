"""The steel desk's price list and discount-rate table (报价表 / 折率表): everyone at the desk reads
it; the sales manager sets a specification's price or one rate of the table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from showroom.permissions import has_role
from warehouse import selectors_spot as sel
from warehouse.models import CustomerClass, Item
from warehouse.models.spot import SPOT_SUPERVISORS
from warehouse.services import spot_price_set, spot_rate_set
from warehouse.views.stock import member_required


def _store(request):
    member_required(request)
    store = request.store
    if store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    return store


@require_http_methods(["GET", "POST"])
@login_required
def spot_prices_view(request):
    store = _store(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            item = Item.objects.filter(code=post.get("item", "").strip()).first()
            if item is None:
                raise ValidationError({"item": [_("No item has this code.")]})
            if post.get("what") == "rate":
                spot_rate_set(
                    user=request.user,
                    store=store,
                    item=item,
                    customer_class=post.get("customer_class", ""),
                    rate=post.get("rate", ""),
                )
            else:
                spot_price_set(user=request.user, store=store, item=item, unit_price=post.get("unit_price", ""))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Saved."))
            return redirect("warehouse:spot_prices")
    context = {
        "rows": sel.spot_price_table(user=request.user, store_id=store.pk),
        "classes": CustomerClass.choices,
        "may_edit": has_role(request.user, store, SPOT_SUPERVISORS),
        "errors": errors,
        "values": request.POST,
    }
    return render(request, "warehouse/spot/prices.html", context, status=400 if errors else 200)
