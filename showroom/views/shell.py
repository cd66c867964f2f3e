from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from showroom.middleware import SESSION_KEY
from showroom.permissions import roles_in
from showroom.roles import ROLE_LABELS
from showroom.selectors.stores import store_get_for_user, store_list_for_user


@login_required
def home(request):
    stores = [
        {
            "store": store,
            "roles": [ROLE_LABELS[c] for c in sorted(roles_in(request.user, store)) if c in ROLE_LABELS],
        }
        for store in store_list_for_user(user=request.user)
    ]
    return render(request, "showroom/home.html", {"stores": stores})


@require_POST
@login_required
def store_switch(request):
    store = store_get_for_user(user=request.user, store_id=request.POST.get("store"))
    request.session[SESSION_KEY] = store.pk
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
