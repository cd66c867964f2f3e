"""One answer to every permission question: does this user hold this role in this store?

Memberships are read once per user object and kept on it, so a page that asks many questions
costs one query. Superusers hold every role everywhere (they administer the system).
"""

from collections.abc import Iterable

from showroom.models import Membership, Store

_CACHE_ATTR = "_showroom_roles"


def _roles_by_store(user) -> dict[int, frozenset[str]]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    if user is not None and user.is_authenticated:
        rows = Membership.objects.filter(user=user, is_active=True, store__is_active=True).values_list(
            "store_id", "role__code"
        )
        for store_id, code in rows:
            roles.setdefault(store_id, set()).add(code)
    frozen = {store_id: frozenset(codes) for store_id, codes in roles.items()}
    if user is not None:
        setattr(user, _CACHE_ATTR, frozen)
    return frozen


def forget_roles(user) -> None:
    """Drop the cached memberships (after a membership changes in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _store_id(store) -> int | None:
    if store is None:
        return None
    return store if isinstance(store, int) else store.pk


def has_role(user, store: Store | int | None, role: str | Iterable[str]) -> bool:
    """True when ``user`` holds ``role`` (or any of the roles given) in ``store``."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    wanted = {role} if isinstance(role, str) else set(role)
    return bool(_roles_by_store(user).get(_store_id(store), frozenset()) & wanted)


def roles_in(user, store: Store | int | None) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        from showroom.roles import ROLE_CODES

        return frozenset(ROLE_CODES)
    return _roles_by_store(user).get(_store_id(store), frozenset())


def store_ids_for(user, role: str | Iterable[str] | None = None) -> list[int]:
    """The stores the user may see (optionally: where the user holds one of ``role``)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Store.objects.filter(is_active=True).values_list("pk", flat=True))
    by_store = _roles_by_store(user)
    if role is None:
        return sorted(by_store)
    wanted = {role} if isinstance(role, str) else set(role)
    return sorted(store_id for store_id, codes in by_store.items() if codes & wanted)


def role_permission(*roles: str):
    """A ``permission=`` callable for an FSM transition: the user holds one of ``roles`` in the
    instance's store (``instance.store_id``)."""

    def check(instance, user) -> bool:
        return has_role(user, instance.store_id, roles)

    check.roles = roles  # type: ignore[attr-defined]
    return check
