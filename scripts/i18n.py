#!/usr/bin/env python3
"""Translations, one catalogue per app (``<app>/locale/zh_Hans``), templates included.

Templates live in ``templates/<app>/`` (and the shared frame in ``templates/`` itself, which
belongs to the core's catalogue), outside the apps, so Django's makemessages run inside an app
would miss them. This script copies each app with its templates into a scratch folder, runs
makemessages there (merging into the committed catalogue), and:

  extract   writes the merged catalogues back into the apps
  check     fails when a catalogue lacks a string the code uses, or has an untranslated or
            fuzzy entry, or its compiled .mo is missing or stale
  compile   compiles every catalogue (.mo files are committed)

  todo APP  prints the app's untranslated or fuzzy entries as JSON ({"msgid" or "ctxt\\u0004msgid": ""},
            plurals as a list of two)
  fill APP FILE  writes the translations of such a JSON file into the catalogue and compiles it

Name apps after the command (``scripts/i18n.py extract testdrive``) to work on those alone.
"""

import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["showroom", "leads", "testdrive", "delivery", "warehouse", "realestate"]
LANG = "zh_Hans"
PY = sys.executable


def po_path(app: str) -> Path:
    return ROOT / app / "locale" / LANG / "LC_MESSAGES" / "django.po"


def extract_to(scratch: Path, app: str) -> Path:
    work = scratch / app
    shutil.copytree(ROOT / app, work, ignore=shutil.ignore_patterns("migrations", "__pycache__", "tests", "*.mo"))
    templates = ROOT / "templates"
    if (templates / app).exists():
        shutil.copytree(templates / app, work / "_templates" / app)
    if app != "showroom" and (templates / "pdf" / app).exists():  # its PDFs: its catalogue
        shutil.copytree(templates / "pdf" / app, work / "_templates" / "pdf" / app)
    if app == "showroom":
        # The shared frame: base, includes, error pages, login, pdf letterhead.
        for entry in templates.iterdir():
            if entry.name in APPS:
                continue
            target = work / "_templates" / entry.name
            if entry.is_dir():
                # templates/pdf/<app>/ belongs to that app's catalogue
                def app_pdfs(folder, names):
                    return [n for n in names if n in APPS and folder.endswith("pdf")]

                shutil.copytree(entry, target, ignore=app_pdfs)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(entry, target)
        static_js = ROOT / "static" / "showroom"
        if static_js.exists():
            shutil.copytree(static_js, work / "_static")
    (work / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "showroom.settings", "PYTHONPATH": str(ROOT)}
    for domain in ("django",):
        subprocess.run(
            # django-admin, not "python -m django": the app's own "selectors" package would shadow
            # the standard library's when the working folder is on sys.path.
            [
                str(Path(PY).with_name("django-admin")),
                "makemessages",
                "-l",
                LANG,
                "-d",
                domain,
                "--no-obsolete",
                "--add-location=file",
                "--no-wrap",
            ],
            cwd=work,
            env=env,
            check=True,
        )
    return work / "locale" / LANG / "LC_MESSAGES" / "django.po"


_ENTRY_RE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr[*] and flags."""
    entries, current, key = [], {"flags": ""}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in current:
                entries.append(current)
            current, key = {"flags": ""}, None
            continue
        if line.startswith("#,"):
            current["flags"] += line[2:]
            continue
        if line.startswith("#"):
            continue
        match = _ENTRY_RE.match(line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    return [e for e in entries if e.get("msgid") != "" or e.get("msgctxt")]


def _key(entry: dict) -> tuple:
    return entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")


def untranslated(entries: list[dict]) -> list[str]:
    out = []
    for e in entries:
        values = [v for k, v in e.items() if k.startswith("msgstr")]
        if not values or any(v == "" for v in values) or "fuzzy" in e["flags"]:
            out.append(e["msgid"])
    return out


def compile_all(apps: list[str] = APPS) -> None:
    for app in apps:
        po = po_path(app)
        if po.exists():
            subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def main(command: str, apps: list[str]) -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for app in apps:
            committed = po_path(app)
            # The scratch copy carries the committed .po, so makemessages merges into it.
            fresh = extract_to(scratch, app)
            if not fresh.exists():
                continue  # nothing to translate in this app yet
            if command == "extract":
                committed.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(fresh, committed)
                continue
            if not committed.exists():
                problems.append(f"{app}: no catalogue at {committed.relative_to(ROOT)} (run make messages)")
                continue
            have = {_key(e) for e in parse_po(committed)}
            missing = [k[1] for k in (_key(e) for e in parse_po(fresh)) if k not in have]
            if missing:
                problems.append(f"{app}: {len(missing)} strings missing from the catalogue, e.g. {missing[:5]}")
            empty = untranslated(parse_po(committed))
            if empty:
                problems.append(f"{app}: {len(empty)} untranslated or fuzzy, e.g. {empty[:5]}")
            mo = committed.with_suffix(".mo")
            if not mo.exists():
                problems.append(f"{app}: {mo.relative_to(ROOT)} is missing (run make messages)")
            elif shutil.which("msgfmt"):
                fresh_mo = scratch / f"{app}.mo"
                subprocess.run(["msgfmt", "-o", str(fresh_mo), str(committed)], check=True)
                if not filecmp.cmp(fresh_mo, mo, shallow=False):
                    problems.append(f"{app}: {mo.relative_to(ROOT)} is stale (run make messages)")
    if command == "extract":
        compile_all(apps)
        print("catalogues extracted and compiled; translate the empty entries, then run make messages again")
        return 0
    for problem in problems:
        print("i18n:", problem)
    print(f"translations: {len(problems)} problem(s)")
    return 1 if problems else 0


def _entry_key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def todo(app: str) -> int:
    import json

    import polib

    catalogue = polib.pofile(str(po_path(app)))
    pending = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if "fuzzy" in entry.flags or not all(entry.msgstr_plural.values()):
                pending[_entry_key(entry)] = ["", ""]
        elif "fuzzy" in entry.flags or not entry.msgstr:
            pending[_entry_key(entry)] = ""
    print(json.dumps(pending, ensure_ascii=False, indent=1))
    return 0


def fill(app: str, source: str) -> int:
    import json

    import polib

    translations = json.loads(Path(source).read_text(encoding="utf-8"))
    catalogue = polib.pofile(str(po_path(app)))
    done = 0
    for entry in catalogue:
        value = translations.get(_entry_key(entry))
        done_already = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not value or (done_already and "fuzzy" not in entry.flags):
            continue  # never overwrite a translation someone made
        if entry.msgid_plural:
            values = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(values[:1]))  # Chinese has one plural form
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        done += 1
    catalogue.save()
    compile_all([app])
    print(f"{app}: {done} translation(s) written")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "todo":
        sys.exit(todo(sys.argv[2]))
    if cmd == "fill":
        sys.exit(fill(sys.argv[2], sys.argv[3]))
    # App names after the command limit it to those apps' catalogues, so people working on
    # different apps at once never rewrite each other's.
    chosen = sys.argv[2:] or APPS
    unknown = sorted(set(chosen) - set(APPS))
    if unknown:
        sys.exit(f"unknown app(s): {', '.join(unknown)}")
    if cmd == "compile":
        compile_all(chosen)
        sys.exit(0)
    sys.exit(main(cmd, chosen))
