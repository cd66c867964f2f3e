from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from showroom.selectors.search import MIN_QUERY_LENGTH, search_everything, search_kind_labels


@require_GET
@login_required
def search_results_view(request):
    """The global search's page: the hits of every kind, grouped; an empty state otherwise."""
    q = (request.GET.get("q") or "").strip()[:100]
    results = search_everything(user=request.user, q=q)
    labels = search_kind_labels()
    context = {
        "q": q,
        "too_short": len(q) < MIN_QUERY_LENGTH,
        "groups": [{"kind": kind, "label": labels.get(kind, kind), "hits": hits} for kind, hits in results.items()],
    }
    return render(request, "showroom/search/results.html", context)
