from showroom.navigation import menu_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    store = request.store if getattr(request, "store", None) else None
    return {
        "current_store": store,
        "user_stores": getattr(request, "user_stores", []),
        "menu": menu_for(request, store),
    }
