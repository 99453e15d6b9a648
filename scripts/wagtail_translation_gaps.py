#!/usr/bin/env python3
"""List the Wagtail strings that have no Simplified Chinese translation.

Wagtail ships an `en` catalogue per app (the full list of its msgids) and a `zh_Hans`
catalogue that lags behind it. Jiyue fills the difference in its own catalogues under
platform/jiyue/locale (LOCALE_PATHS, which Django consults before app catalogues).
A string is a gap when it is in an `en` catalogue but translated neither by that app's
compiled zh_Hans catalogue nor by Jiyue's compiled one (the .mo files are what Django
reads). Run after every Wagtail upgrade:

    python3 scripts/wagtail_translation_gaps.py            # lists gaps, exit 1 if any
    python3 scripts/wagtail_translation_gaps.py --po       # gaps as a .po to translate

Standard library only (CI machines may lack GNU gettext). Contexts (msgctxt) and plural
forms count: a plural entry is translated only when all its forms are.
"""
import argparse
import ast
import gettext
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
JIYUE_LOCALE = REPO_ROOT / "platform" / "jiyue" / "locale"
LANGUAGE = "zh_Hans"
DOMAINS = ("django", "djangojs")
NPLURALS = 1  # zh: "Plural-Forms: nplurals=1; plural=0;"


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list = field(default_factory=list)  # one item, or one per plural form
    flags: set = field(default_factory=set)
    references: list = field(default_factory=list)

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


def _unquote(text):
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text!r}")
    return ast.literal_eval(text)  # PO strings use C escapes, a subset of Python's


def parse_po(path):
    """Entries of a .po file by (msgctxt, msgid); the header and obsolete entries skipped."""
    entries = {}
    current, target = None, None
    pending_flags, pending_refs = set(), []

    def finish():
        if current is not None and current.msgid:
            entries[current.key] = current

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        try:
            if not line:
                continue
            if line.startswith("#~"):
                continue
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
                continue
            if line.startswith("#:"):
                pending_refs += line[2:].split()
                continue
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                value = _unquote(line)
                if target == "msgctxt":
                    current.msgctxt += value
                elif target == "msgid":
                    current.msgid += value
                elif target == "msgid_plural":
                    current.msgid_plural += value
                else:
                    current.msgstr[target] += value
                continue
            keyword, _, rest = line.partition(" ")
            if keyword == "msgctxt" or (keyword == "msgid" and target != "msgctxt"):
                finish()  # an entry starts with its msgctxt, or its msgid when it has none
                current = Entry(msgid="", flags=pending_flags, references=pending_refs)
                pending_flags, pending_refs = set(), []
            if keyword == "msgctxt":
                current.msgctxt = _unquote(rest)
                target = "msgctxt"
            elif keyword == "msgid":
                current.msgid = _unquote(rest)
                target = "msgid"
            elif keyword == "msgid_plural":
                current.msgid_plural = _unquote(rest)
                target = "msgid_plural"
            elif keyword == "msgstr":
                current.msgstr = [_unquote(rest)]
                target = 0
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                while len(current.msgstr) <= index:
                    current.msgstr.append("")
                current.msgstr[index] = _unquote(rest)
                target = index
            else:
                raise ValueError(f"unexpected line {raw!r}")
        except (ValueError, SyntaxError, AttributeError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    finish()
    return entries


def is_translated(entry):
    return "fuzzy" not in entry.flags and bool(entry.msgstr) and all(entry.msgstr)


def mo_keys(path):
    """(msgctxt, msgid) of every entry a compiled catalogue translates, as Django reads it."""
    if not Path(path).exists():
        return set()
    with open(path, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    keys = set()
    for key, value in catalog.items():
        text = key[0] if isinstance(key, tuple) else key
        if not text or not value:
            continue
        context, sep, msgid = text.partition("\x04")
        keys.add((context, msgid) if sep else (None, text))
    return keys


def wagtail_dir():
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def wagtail_catalogues(root=None):
    """(app label, domain, en .po, zh_Hans .mo) for every Wagtail catalogue."""
    root = Path(root) if root else wagtail_dir()
    found = []
    for en in sorted(root.glob("**/locale/en/LC_MESSAGES/*.po")):
        domain = en.stem
        if domain not in DOMAINS:
            continue
        app_dir = en.parents[3]
        app = ".".join(("wagtail",) + app_dir.relative_to(root).parts) if app_dir != root else "wagtail"
        zh_mo = app_dir / "locale" / LANGUAGE / "LC_MESSAGES" / f"{domain}.mo"
        found.append((app, domain, en, zh_mo))
    return found


def jiyue_catalogue(domain, locale_dir=None):
    return Path(locale_dir or JIYUE_LOCALE) / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def wagtail_gaps(root=None, include_jiyue=True, locale_dir=None):
    """Entries (from the en catalogues) translated neither by Wagtail's zh_Hans nor by
    Jiyue's compiled catalogue: a dict domain -> {(msgctxt, msgid): (app, Entry)}."""
    ours = {}
    for domain in DOMAINS:
        mo = jiyue_catalogue(domain, locale_dir).with_suffix(".mo")
        ours[domain] = mo_keys(mo) if include_jiyue else set()
    gaps = {domain: {} for domain in DOMAINS}
    for app, domain, en_po, zh_mo in wagtail_catalogues(root):
        theirs = mo_keys(zh_mo)
        for key, entry in parse_po(en_po).items():
            if key not in theirs and key not in ours[domain]:
                gaps[domain].setdefault(key, (app, entry))
    return gaps


def po_mo_differences(domain, locale_dir=None):
    """Keys whose translation in Jiyue's .po differs from its .mo (a stale .mo)."""
    po = jiyue_catalogue(domain, locale_dir)
    with open(po.with_suffix(".mo"), "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in parse_po(po).values():
        if not is_translated(entry):
            continue
        text = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            expected[text] = entry.msgstr[0]
        else:
            for index, form in enumerate(entry.msgstr):
                expected[(text, index)] = form
    actual = {key: value for key, value in catalog.items() if key != ""}
    return sorted(str(key) for key in set(expected) | set(actual)
                  if expected.get(key) != actual.get(key))


_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifrxXeEgGc%])")
_BRACE = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _placeholders(text):
    found = []
    for name, conversion in _PERCENT.findall(text):
        if conversion != "%":
            found.append(f"%({name}){conversion}" if name else f"%{conversion}")
    return sorted(found)


def format_problems(po_path):
    """Translations in a .po whose placeholders, HTML tags or plural forms do not match
    their msgid: what would break a page at runtime, or show raw markup."""
    problems = []
    for entry in parse_po(po_path).values():
        where = f"{Path(po_path).name}: {entry.msgid[:60]!r}"
        if entry.msgid_plural is not None and len(entry.msgstr) != NPLURALS:
            problems.append(f"{where}: {len(entry.msgstr)} plural forms, expected {NPLURALS}")
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        # The form a single zh plural must cover is the English plural one.
        reference = sources[-1]
        for text in entry.msgstr:
            if "no-python-format" in entry.flags:
                allowed = {p for source in sources for p in _placeholders(source)}
                if not set(_placeholders(text)) <= allowed:
                    problems.append(f"{where}: unknown placeholder in {text!r}")
            elif _placeholders(text) != _placeholders(reference):
                problems.append(f"{where}: placeholders {_placeholders(text)} != {_placeholders(reference)}")
            if "python-brace-format" in entry.flags and \
                    sorted(_BRACE.findall(text)) != sorted(_BRACE.findall(reference)):
                problems.append(f"{where}: {{}} placeholders differ in {text!r}")
            if sorted(_TAG.findall(text)) != sorted(_TAG.findall(reference)):
                problems.append(f"{where}: HTML tags differ in {text!r}")
    return problems


def _quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) <= 1:
        return f'"{parts[0] if parts else ""}"'
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def as_po(entries):
    out = []
    for app, entry in entries:
        out.append(f"#. {app}")
        if entry.references:
            prefix = app.replace(".", "/")
            out.append("#: " + " ".join(f"{prefix}/{reference}" for reference in entry.references))
        flags = sorted(flag for flag in entry.flags if flag != "fuzzy")
        if flags:
            out.append("#, " + ", ".join(flags))
        if entry.msgctxt is not None:
            out.append("msgctxt " + _quote(entry.msgctxt))
        out.append("msgid " + _quote(entry.msgid))
        if entry.msgid_plural is not None:
            out.append("msgid_plural " + _quote(entry.msgid_plural))
            out.extend(f'msgstr[{index}] ""' for index in range(NPLURALS))
        else:
            out.append('msgstr ""')
        out.append("")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wagtail", help="Wagtail package directory (default: the installed one)")
    parser.add_argument("--without-jiyue", action="store_true",
                        help="ignore Jiyue's catalogues (lists all that Wagtail's zh_Hans lacks)")
    parser.add_argument("--po", action="store_true", help="print the gaps as .po entries")
    args = parser.parse_args(argv)
    gaps = wagtail_gaps(args.wagtail, include_jiyue=not args.without_jiyue)
    for domain, entries in gaps.items():
        if args.po:
            print(f"# ===== {domain}.po: {len(entries)}\n")
            print(as_po(entries.values()))
            continue
        print(f"{domain}: {len(entries)} missing")
        for (context, msgid), (app, entry) in entries.items():
            label = f"[{context}] " if context is not None else ""
            plural = f" | {entry.msgid_plural!r}" if entry.msgid_plural is not None else ""
            print(f"  {app}: {label}{msgid!r}{plural}")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
