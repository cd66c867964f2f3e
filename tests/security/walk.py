"""Machinery of the permission walk: routes, the records behind their ids, personas, writes.

Nothing here names a route or a model: routes come from the URL resolver, the model behind a
route's ``<int:…>`` from the view's code (DRF querysets, or the model classes the view and the
functions it calls refer to), a record's store from its foreign keys. A page another helper adds
is walked as soon as it is in ``urls.py``.
"""

from __future__ import annotations

import inspect
import itertools
import re
import types
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import ForeignKey, Model, OneToOneField
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = ("showroom", "leads", "testdrive", "delivery", "warehouse", "realestate")
# Admin needs is_staff (no persona is staff: the admin is the superuser's tool); the schema and
# API docs are static descriptions; media is served by the web server in production.
SKIPPED_PREFIXES = ("admin/", "api/schema/", "api/docs/", "api/redoc/", "^media/", "i18n/js/")
TOKEN = re.compile(r"^[a-z][a-z_]{1,30}$")


@dataclass
class Route:
    path: str
    name: str  # "namespace:name"
    pattern: URLPattern
    int_kwargs: list[str]
    str_kwargs: list[str]
    methods: set[str]
    is_api: bool
    candidates: dict[str, list[type[Model]]] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)


# --- routes -----------------------------------------------------------------------------------
def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def _kwarg_kinds(pattern: URLPattern, path: str) -> tuple[list[str], list[str]]:
    converters = getattr(pattern.pattern, "converters", {})
    ints, strs = [], []
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", path)
    for a, b in names:
        key = a or b
        if key in ("format",):
            continue
        conv = converters.get(key)
        if (
            (conv is not None and type(conv).__name__ == "IntConverter")
            or (conv is None and key in ("pk",))
            or key.endswith("_pk")
            or key.endswith("_id")
        ):
            ints.append(key)
        else:
            strs.append(key)
    return ints, strs


def _methods(callback) -> tuple[set[str], bool]:
    actions = getattr(callback, "actions", None)
    cls = getattr(callback, "cls", None)
    if actions:
        return {m.upper() for m in actions}, True
    if cls is not None:  # a DRF APIView
        return {m.upper() for m in cls.http_method_names if hasattr(cls, m) and m not in ("options", "head")}, True
    return {"GET", "POST"}, False


def routes() -> list[Route]:
    found = []
    for path, namespace, pattern in _walk(get_resolver()):
        if not pattern.name or path.startswith(SKIPPED_PREFIXES) or "(?P<format>" in path or "<format>" in path:
            continue
        ints, strs = _kwarg_kinds(pattern, path)
        methods, is_api = _methods(pattern.callback)
        route = Route(path, namespace + pattern.name, pattern, ints, strs, methods, is_api)
        route.candidates, route.strings = _candidates(route)
        found.append(route)
    return found


# --- the models behind a route's ids -----------------------------------------------------------
def project_models() -> dict[str, type[Model]]:
    return {m.__name__: m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()}


def _code_names(func, depth: int, seen: set, strings: set) -> set[str]:
    """Names a function's code refers to, following the project's own functions it calls."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return set()
    seen.add(code)
    names: set[str] = set()
    stack = [code]
    while stack:
        c = stack.pop()
        names.update(c.co_names)
        for const in c.co_consts:
            if isinstance(const, types.CodeType):
                stack.append(const)
            elif isinstance(const, str) and TOKEN.match(const):
                strings.add(const)
    if depth <= 0:
        return names
    glb = getattr(func, "__globals__", {})
    followed = []
    for name in list(names):
        target = glb.get(name)
        if isinstance(target, types.ModuleType):
            followed += [getattr(target, attr, None) for attr in names]
        elif isinstance(target, dict):
            for key, value in target.items():
                if isinstance(key, str) and TOKEN.match(key):
                    strings.add(key)
                for leaf in value if isinstance(value, tuple | list) else (value,):
                    followed.append(leaf)
                    if isinstance(leaf, dict):
                        followed += list(leaf.values())
                        strings.update(k for k in leaf if isinstance(k, str) and TOKEN.match(k))
        else:
            followed.append(target)
    for target in followed:
        if inspect.isfunction(target) and target.__module__.split(".")[0] in PROJECT_APPS:
            names |= _code_names(target, depth - 1, seen, strings)
        elif isinstance(target, type) and issubclass(target, Model):
            names.add(target.__name__)
    return names


def _view_functions(route: Route) -> list:
    callback = route.pattern.callback
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return [callback]
    funcs = []
    actions = getattr(callback, "actions", None) or {}
    for action in actions.values():
        funcs.append(getattr(cls, action, None))
    for name in ("get_queryset", "get_object", "get", "post"):
        funcs.append(getattr(cls, name, None))
    return [f for f in funcs if f is not None and f.__module__.split(".")[0] in PROJECT_APPS]


def _stem(word: str) -> str:
    word = word.replace("-", "").replace("_", "")
    return word[:-1] if word.endswith("s") else word


def _candidates(route: Route) -> tuple[dict[str, list[type[Model]]], list[str]]:
    models = project_models()
    strings: set[str] = set()
    names: set[str] = set()
    for func in _view_functions(route):
        names |= _code_names(func, 2, set(), strings)
    cls = getattr(route.pattern.callback, "cls", None)
    queryset_model = None
    if cls is not None and getattr(cls, "queryset", None) is not None:
        queryset_model = cls.queryset.model
    serializer = getattr(cls, "serializer_class", None) if cls is not None else None
    serializer_model = getattr(getattr(serializer, "Meta", None), "model", None)
    queryset_model = queryset_model or serializer_model
    referenced = [models[n] for n in sorted(names) if n in models and n != "Store"]
    segments = [s for s in re.split(r"[/^$]+", route.path) if s and "<" not in s and "(" not in s]
    result = {}
    for kwarg in route.int_kwargs:
        if kwarg == "store_id":
            result[kwarg] = [apps.get_model("showroom", "Store")]
            continue
        if kwarg == "content_type_id":
            result[kwarg] = []
            continue
        hint = kwarg.removesuffix("_pk").removesuffix("_id")
        pool = list(referenced)
        if kwarg == "pk" and queryset_model is not None:
            pool = [queryset_model]
        if hint not in ("pk", "object"):
            named = [m for m in pool if m.__name__.lower().endswith(hint.replace("_", ""))]
            named = named or [m for m in models.values() if m.__name__.lower() == hint.replace("_", "")]
            pool = named or pool
        elif len(pool) > 1:
            # The path segment before the id names the record ("quotes/<pk>/" → Quote).
            marks = [route.path.find(m) for m in (f"<int:{kwarg}>", f"(?P<{kwarg}>")]
            position = max(marks) if max(marks) >= 0 else len(route.path)
            before = [s for s in re.split(r"[/^$]+", route.path[:position]) if s and "<" not in s and "(" not in s]
            stem = _stem(before[-1]) if before else ""
            ranked = sorted(pool, key=lambda m, s=stem: (not m.__name__.lower().endswith(s), m.__name__))
            pool = ranked
        result[kwarg] = pool[:4]
    strings -= {"pk", "id", "store", "user", "note", "name", "kind", "code", "next", "page", "q"}
    route_strings = sorted(strings)
    if segments and route.str_kwargs == ["fmt"]:
        route_strings = ["csv", "xlsx"]
    return result, route_strings


# --- stores of records ------------------------------------------------------------------------
def store_path(model: type[Model], depth: int = 3) -> str | None:
    """The ORM path from ``model`` to its Store ("store", "order__store", …), or None (global)."""
    store_model = apps.get_model("showroom", "Store")
    if model is store_model:
        return "pk"
    frontier = [(model, "")]
    for _ in range(depth):
        following = []
        for current, prefix in frontier:
            fks = [f for f in current._meta.get_fields() if isinstance(f, ForeignKey | OneToOneField) and f.concrete]
            for fk in fks:
                if fk.related_model is store_model and fk.name == "store":
                    return f"{prefix}{fk.name}"
            for fk in fks:
                if fk.related_model is store_model:
                    return f"{prefix}{fk.name}"
            for fk in fks:
                if fk.related_model is not None and fk.related_model._meta.app_label in PROJECT_APPS:
                    following.append((fk.related_model, f"{prefix}{fk.name}__"))
        frontier = following
    return None


def sample_ids(model: type[Model], stores, limit: int = 2) -> list[int]:
    path = store_path(model)
    if path is None:
        return []
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return list(model._default_manager.filter(**{lookup: stores}).order_by("pk").values_list("pk", flat=True)[:limit])


def store_of(model: type[Model], pk) -> int | None:
    path = store_path(model)
    if path is None:
        return None
    if path == "pk":
        return int(pk)
    return model._default_manager.filter(pk=pk).values_list(path, flat=True).first()


# --- ids unique across tables -----------------------------------------------------------------
STEP = 1_000_000


def spread_sequences() -> tuple[dict[str, int], dict[int, type[Model]]]:
    """Give every project table's id sequence its own range, so an id names one record in the
    whole database: a page that answers 200 for another store's id has found that record, and
    an id printed in a page or a JSON body tells which table it is from.
    Returns each sequence's previous position (sequences ignore rollbacks: restore them) and the
    model of each range."""
    previous = {}
    models = sorted(
        (
            m
            for label in (*PROJECT_APPS, "django_fsm_log")
            for m in apps.get_app_config(label).get_models()
            if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
        ),
        key=lambda m: m._meta.db_table,
    )
    ranges = {}
    with connection.cursor() as cursor:
        for index, model in enumerate(models, start=1):
            table = model._meta.db_table
            ranges[index] = model
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            if sequence is None:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            previous[sequence] = last if called else last - 1
            cursor.execute("SELECT setval(%s, %s)", [sequence, index * STEP])
    return previous, ranges


def model_of_id(value: int, ranges: dict[int, type[Model]]) -> type[Model] | None:
    return ranges.get((value - 1) // STEP) if value > STEP else None


def restore_sequences(previous: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        for sequence, value in previous.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, max(value, 1), value >= 1])


# --- writes ---------------------------------------------------------------------------------
IGNORED_TABLES = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


def writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction (sessions aside)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            " WHERE relname <> ALL(%s)",
            [list(IGNORED_TABLES)],
        )
        return int(cursor.fetchone()[0])


def combos(values: dict[str, list], limit: int) -> list[dict]:
    keys = list(values)
    return [
        dict(zip(keys, combo, strict=True)) for combo in itertools.islice(itertools.product(*values.values()), limit)
    ]
