from django.utils.functional import SimpleLazyObject

SESSION_KEY = "showroom_store_id"


def _current_store(request):
    from showroom.selectors.stores import store_list_for_user

    user = request.user
    if not user.is_authenticated:
        return None
    stores = list(store_list_for_user(user=user))
    request.user_stores = stores
    wanted = request.session.get(SESSION_KEY)
    for store in stores:
        if store.pk == wanted:
            return store
    return stores[0] if stores else None


class CurrentStoreMiddleware:
    """Puts ``request.store``: the store the user switched to (kept in the session), or the
    first of the user's stores. Evaluated lazily so pages that do not use it pay nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.store = SimpleLazyObject(lambda: _current_store(request))
        return self.get_response(request)
