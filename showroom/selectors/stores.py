from django.http import Http404

from showroom.models import Store
from showroom.permissions import store_ids_for


def store_list_for_user(*, user):
    return Store.objects.filter(pk__in=store_ids_for(user), is_active=True).order_by("code")


def store_get_for_user(*, user, store_id) -> Store:
    """The store if the user holds a membership in it; 404 otherwise (never confirm it exists)."""
    try:
        return Store.objects.get(pk=int(store_id), pk__in=store_ids_for(user))
    except (Store.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def scope_to_user_stores(queryset, *, user, store_field: str = "store"):
    """Every query of store-owned data goes through this: rows of the user's stores only."""
    return queryset.filter(**{f"{store_field}_id__in": store_ids_for(user)})
