"""The permission walk: every page and API route, for every persona of two stores and anonymous.

Given the demo data split into two store groups (A: the car showroom and the property site,
B: the warehouse, the jewellery counter and the counter shop) and one user per role in each
group, when every route found in the URL resolver is requested with ids of real records of each
group, then
- no response is a 500;
- nobody is shown a record of the other group: a route with another group's id answers 403/404
  (or a redirect), and no page link, form option or JSON id points at another group's record;
- no unsafe request (POST, PUT, PATCH, DELETE) from anonymous or from the other group writes a
  row, and a role the transition's ``permission=`` refuses writes nothing either.

How ids are made unambiguous and how routes find their models: ``tests/security/walk.py``.
"""

import contextlib
import io
import json
import logging
import os
import re
import time
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from showroom import roles as r
from showroom.models import Membership, Role, Store
from tests.security import walk

GROUP_A = ("car01", "prop01")
GROUP_B = ("wh01", "jw01", "ct01")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
PER_GROUP = 3  # transition names tried per route and store group (safe requests use the first)
# Routes whose ids filter the user's own rows rather than load a record (the documents panel of a
# record lists the documents of the user's stores with that key): a 200 there shows nothing.
FILTER_ROUTES = {"documents:for_record"}
LINKS = re.compile(r'(?:href|action|hx-(?:get|post|put|patch|delete)|data-[\w-]*url)="([^"]*)"')
VALUES = re.compile(r'value="(\d{7,10})"')
ID_IN_URL = re.compile(r"(?<![\d.])(\d{7,10})(?![\d.])")
# What the Content-Security-Policy would block: inline code (JSON data blocks are not code).
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"|\shx-on[:-]|javascript:")


class Rollback(Exception):
    pass


class World:
    def __init__(self, ranges):
        self.ranges = ranges
        self.stores = {code: Store.objects.get(code=code) for code in (*GROUP_A, *GROUP_B)}
        self.group_stores = {
            "A": {self.stores[c].pk for c in GROUP_A},
            "B": {self.stores[c].pk for c in GROUP_B},
        }
        self.store_group = {pk: g for g, pks in self.group_stores.items() for pk in pks}
        roles = {role.code: role for role in Role.objects.all()}
        User = get_user_model()
        self.personas = {"anonymous": (None, None)}
        for group, codes in (("A", GROUP_A), ("B", GROUP_B)):
            for code in r.ROLE_CODES:
                user = User.objects.create_user(username=f"walk_{group}_{code}", password="x")
                for store_code in codes:
                    Membership.objects.create(user=user, store=self.stores[store_code], role=roles[code])
                self.personas[f"{group}:{code}"] = (user, group)
        self._store_cache = {}

    def group_of(self, model, pk):
        key = (model, pk)
        if key not in self._store_cache:
            store_id = walk.store_of(model, pk)
            self._store_cache[key] = self.store_group.get(store_id) if store_id is not None else None
        return self._store_cache[key]

    def group_of_id(self, value: int):
        model = walk.model_of_id(value, self.ranges)
        if model is None:
            return None, None
        if not model._default_manager.filter(pk=value).exists():
            return model, None
        return model, self.group_of(model, value)


def _fsm_names(model) -> list[str]:
    from django_fsm import FSMFieldMixin

    names = []
    for f in model._meta.fields:
        if isinstance(f, FSMFieldMixin):
            names += sorted({t.name for t in f.get_all_transitions(model)})
    return names


def _targets(route, world):
    """(kwargs, group, records) to request a route with: ids of real records of each group."""
    if not route.int_kwargs:
        strings = {k: (route.strings or ["x"])[:PER_GROUP] for k in route.str_kwargs}
        return [(kw, None, []) for kw in walk.combos(strings, PER_GROUP)] or [({}, None, [])]
    targets = []
    last_models = route.candidates.get(route.int_kwargs[-1]) or []
    if last_models and all(walk.store_path(m) is None for m in last_models[:1]):
        # A store-less record (the vehicle catalogue, checklist templates, a user's notice): any row.
        model = last_models[0]
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None and len(route.int_kwargs) == 1:
            strings = {k: (_fsm_names(model) + route.strings)[:PER_GROUP] or ["x"] for k in route.str_kwargs}
            return [({route.int_kwargs[0]: pk, **combo}, None, [(model, pk)]) for combo in walk.combos(strings, 1)]
    for group, store_ids in world.group_stores.items():
        found = 0
        last = route.int_kwargs[-1]
        models = route.candidates.get(last) or []
        if last == "object_id" and "content_type_id" in route.int_kwargs:
            models = models or [walk.project_models()["Customer"]]
        for model in models:
            for pk in walk.sample_ids(model, list(store_ids), limit=1):
                record = model._default_manager.get(pk=pk)
                kwargs = {last: pk}
                for kwarg in route.int_kwargs[:-1]:
                    if kwarg == "content_type_id":
                        kwargs[kwarg] = ContentType.objects.get_for_model(model).pk
                        continue
                    wanted = route.candidates.get(kwarg) or []
                    fk = next(
                        (
                            f
                            for f in model._meta.fields
                            if f.is_relation and f.related_model in wanted and getattr(record, f.attname)
                        ),
                        None,
                    )
                    if fk is not None:
                        kwargs[kwarg] = getattr(record, fk.attname)
                    else:
                        ids = [i for m in wanted for i in walk.sample_ids(m, list(store_ids), limit=1)]
                        if not ids:
                            break
                        kwargs[kwarg] = ids[0]
                else:
                    strings = {}
                    for kwarg in route.str_kwargs:
                        values = _fsm_names(model) if kwarg == "name" else []
                        strings[kwarg] = (values + [s for s in route.strings if s not in values])[:PER_GROUP] or ["x"]
                    for combo in walk.combos(strings, PER_GROUP):
                        targets.append(({**kwargs, **combo}, group, [(model, pk)]))
                        found += 1
                if found >= PER_GROUP:
                    break
            if found >= PER_GROUP:
                break
    if not targets and last_models:
        # Nothing of this kind in the demo data: an id of the right table that names no row must
        # still be a clean 404, never a 500.
        ids = {k: [_missing_id(world, (route.candidates.get(k) or last_models)[0])] for k in route.int_kwargs}
        strings = {k: (route.strings or ["x"])[:1] for k in route.str_kwargs}
        targets = [(kw, None, []) for kw in walk.combos({**ids, **strings}, 1)]
    return targets


def _missing_id(world, model) -> int:
    index = next((i for i, m in world.ranges.items() if m is model), None)
    return (index + 1) * walk.STEP - 1 if index is not None else 2_000_000_000


def _url(route, kwargs):
    try:
        return reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _leaked_ids(response, world, group):
    """Ids in the response's links, options and JSON that belong to the other group's records."""
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace") if response.content else ""
    numbers = set()
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                # An object shown is an object with its id; a bare foreign key (a delivery's stock
                # move in the central warehouse) references a record without showing it.
                for key in ("id", "pk"):
                    value = item.get(key)
                    if isinstance(value, int) and not isinstance(value, bool) and value > walk.STEP:
                        numbers.add(value)
                stack.extend(v for v in item.values() if isinstance(v, dict | list | str))
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and item.startswith(("/", "http")):
                numbers.update(int(n) for n in ID_IN_URL.findall(item))
    elif "html" in content_type:
        for link in LINKS.findall(body):
            numbers.update(int(n) for n in ID_IN_URL.findall(link))
        numbers.update(int(n) for n in VALUES.findall(body))
    leaks = []
    for number in numbers:
        model, owner = world.group_of_id(number)
        if owner is not None and owner != group:
            leaks.append(f"{model.__name__}#{number}")
    return sorted(leaks)


def _request(client, method, url, *, api):
    kwargs = {"content_type": "application/json", "data": "{}"} if api and method != "GET" else {}
    if api:
        kwargs["HTTP_ACCEPT"] = "application/json"
    try:
        return getattr(client, method.lower())(url, **kwargs), None
    except Exception as exc:  # the test client re-raises what the view raised: that is a 500
        return None, f"{type(exc).__name__}: {exc}"


def _refused(response, *, anonymous):
    if response.status_code in (401, 403, 404, 405):
        return True
    return anonymous and response.status_code == 302 and "/login/" in response.get("Location", "")


def _transition_allowed(model, pk, name, user):
    from django_fsm import FSMFieldMixin

    instance = model._default_manager.get(pk=pk)
    for f in model._meta.fields:
        if isinstance(f, FSMFieldMixin):
            for transition in f.get_all_transitions(model):
                if transition.name == name:
                    return transition.has_perm(instance, user)
    return None  # not a transition of this model: the view refuses or runs a named service


@contextlib.contextmanager
def _lean_requests():
    """Thousands of requests: without the test runner's template instrumentation (the client
    copies every template's context) and without a log line per refused request."""
    from django.template import Template
    from django.test.utils import _TestState

    instrumented = Template._render
    original = getattr(getattr(_TestState, "saved_data", None), "template_render", None)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    if original is not None:
        Template._render = original
    request_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        Template._render = instrumented
        request_log.setLevel(level)


@pytest.mark.django_db
def test_permission_walk(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous, ranges = walk.spread_sequences()
    try:
        started = time.process_time()
        call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
        world = World(ranges)
        seeded = round(time.process_time() - started, 1)
        with _lean_requests():
            failures, stats = _walk(world)
        stats["cpu seconds seeding"] = seeded
    finally:
        walk.restore_sequences(previous)
    print(json.dumps(stats, indent=1, sort_keys=True))
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:80])


def _walk(world):
    failures = []
    stats = defaultdict(int)
    routes = walk.routes()
    stats["routes"] = len(routes)
    plans = []
    for route in routes:
        targets = _targets(route, world)
        if route.int_kwargs and not any(records for _, _, records in targets):
            stats["routes without a seeded record (404 checked)"] += 1
        if not targets:
            # The view's code names no model the walk can map (a file served by a helper): listed.
            stats.setdefault("routes the walk could not map", []).append(route.name)
            continue
        seen_groups = set()
        for kwargs, group, records in targets:
            # Safe requests once per route and group; unsafe ones with every transition name.
            primary = group not in seen_groups
            seen_groups.add(group)
            url = _url(route, kwargs)
            if url is not None:
                plans.append((route, url, group, records, kwargs, primary))
    stats["targets"] = len(plans)
    public = set()  # pages anonymous may use (login, language): their POSTs are open by design
    only = os.environ.get("SHOWROOM_WALK_PERSONAS")  # a comma-separated subset, to measure or debug
    for persona, (user, group) in world.personas.items():
        if only and persona not in only.split(","):
            continue
        started = time.process_time()
        client = Client()
        if user is not None:
            client.force_login(user)
        for route, url, target_group, records, kwargs, primary in plans:
            # Safe requests: never a 500, never another group's record.
            if "GET" in route.methods and primary:
                response, error = _request(client, "GET", url, api=route.is_api)
                stats["GET"] += 1
                if error or response.status_code >= 500:
                    failures.append(f"500 {persona} GET {url}: {error or response.status_code}")
                    continue
                foreign_record = group is not None and target_group is not None and target_group != group
                if user is None and not _refused(response, anonymous=True):
                    public.add(url)  # anonymous gets the page (login) or its redirect (language)
                if foreign_record and 200 <= response.status_code < 300 and route.name not in FILTER_ROUTES:
                    failures.append(f"LEAK {persona} GET {url} (group {target_group}) → {response.status_code}")
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    inline = INLINE_CODE.search(response.content.decode("utf-8", "replace"))
                    if inline:
                        failures.append(f"INLINE SCRIPT {persona} GET {url}: {inline.group(0)}")
                if group is not None and response.status_code == 200:
                    leaks = _leaked_ids(response, world, group)
                    if leaks:
                        failures.append(f"LEAK {persona} GET {url} shows {', '.join(leaks[:5])}")
            # Unsafe requests: who must not change anything.
            for method in (m for m in UNSAFE if m in route.methods):
                foreign = user is None or (target_group is not None and target_group != group)
                transition = None
                if not foreign and records and "name" in kwargs:
                    model, pk = records[0]
                    allowed = _transition_allowed(model, pk, kwargs["name"], user)
                    transition = allowed is False
                if not foreign and not transition:
                    continue
                before = walk.writes()
                try:
                    with transaction.atomic():
                        response, error = _request(client, method, url, api=route.is_api)
                        written = walk.writes() - before
                        raise Rollback
                except Rollback:
                    pass
                stats[method] += 1
                if error or response.status_code >= 500:
                    failures.append(f"500 {persona} {method} {url}: {error or response.status_code}")
                elif written:
                    failures.append(f"WRITE {persona} {method} {url} → {response.status_code}, {written} rows")
                elif user is None and url in public:
                    continue
                elif foreign and response.status_code == 400:
                    # Refused, nothing written, but input was checked before the store: a 404 is
                    # the convention. Counted, not failed.
                    stats["cross-store refusals answered 400 instead of 404"] += 1
                    stats.setdefault("400 instead of 404", []).append(f"{method} {url}")
                elif foreign and not _refused(response, anonymous=user is None):
                    failures.append(f"NOT REFUSED {persona} {method} {url} → {response.status_code}")
        stats[f"cpu seconds {persona}"] = round(time.process_time() - started, 1)
    return failures, dict(stats)
