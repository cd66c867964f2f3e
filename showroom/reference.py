"""Reference data every installation needs: roles and their groups (and, as the engines grow,
authority rules, checklist templates). Idempotent: data migrations call it, the test suite calls it
again after transactional tests flush the tables, ``seed_demo`` calls it first.
"""

from collections.abc import Callable

from django.db import transaction

# Steps run in order; engines append theirs at import time of this module's neighbours.
_STEPS: list[tuple[str, Callable[[], None]]] = []


def reference_step(name: str):
    def decorator(func: Callable[[], None]) -> Callable[[], None]:
        if name not in {n for n, _ in _STEPS}:
            _STEPS.append((name, func))
        return func

    return decorator


@reference_step("roles")
def ensure_roles() -> None:
    from django.contrib.auth.models import Group, Permission

    from showroom.models import Role
    from showroom.roles import GROUP_PERMISSIONS, ROLES

    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={name.split(".")[0] for names in GROUP_PERMISSIONS.values() for name in names}
        )
    }
    for code, label, term, rank in ROLES:
        group, _ = Group.objects.get_or_create(name=f"role:{code}")
        Role.objects.update_or_create(
            code=code, defaults={"name": str(label), "seed_term": term, "rank": rank, "group": group}
        )
        wanted = [perms[name] for name in GROUP_PERMISSIONS.get(code, []) if name in perms]
        if wanted:
            group.permissions.add(*wanted)


def ensure_reference_data() -> None:
    # Import the engines so their steps are registered, whatever imported us first.
    import showroom.reference_engines  # noqa: F401

    with transaction.atomic():
        for _name, step in _STEPS:
            step()
