"""Content checks (内容检查): find sensitive words, typos and wrong leader titles in the
fields of an article. The review app calls ``check_fields`` on save and on submit,
and ``highlight`` to show the findings.

How a check runs:

1. One query reads the active version of every dictionary that applies: the
   platform-wide ones (``site`` NULL) and, with a ``site_id``, that site's own.
2. Each group has its own automaton (``lib/matcher.py``): the platform-wide one is
   shared by every site, a site's own dictionaries add a second, small one. Each is
   built once per set of versions and cached per process (``MatcherCache``): versions
   are immutable, so a cached matcher never goes stale; a new active version is a
   new key, which replaces that scope's matcher.
3. The text of each field goes through each automaton once (no loop over words);
   overlapping matches are resolved by ``lib.matcher.resolve``.

Sharing between processes: yes. On a miss, a process first looks in
``caches["shared"]`` (Redis in production, files in the demo) for the pickled
matcher, keyed by the versions' ``uid``s (never ids, which repeat across databases);
only if it is absent is the matcher built from the database and then stored there.
Measured with bench/checks.py (50,000 terms, 2 vCPU shared with other test runs):
building -- reading the terms and making the automaton -- takes 0.5-1.2 s; the
pickle is ~15 MB, which Redis returns in ~0.06 s (the demo's file cache ~0.05 s) and
which unpickles in 0.06-0.14 s. Loading is four to eight times faster than
building, so after an activation only the first process (web worker or Celery) pays
for the build. A failing shared cache is logged and the matcher built locally: checks
never fail because Redis does. (Unpickling was 0.6 s until the entries became plain tuples of
interned strings instead of NamedTuples; see lib/matcher.py.)

Works inside a site's schema: the dictionaries are public tables, which are on the
search path of every tenant connection.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .lib.matcher import (
    CATEGORY, RULE, SEVERITY, SUBJECT, SUGGESTION, Entry, Matcher, MatcherBuilder, prepare, resolve,
)
from .models import Dictionary, DictionaryKind, DictionaryVersion, Severity, Term

logger = logging.getLogger(__name__)

# Bump when Matcher's pickled shape changes, so old processes' entries are ignored.
MATCHER_FORMAT = 1
SHARED_CACHE = "shared"
# Long enough for every process to pick a new version up; each platform version's
# entry is ~15 MB, and every edit makes a version, so they must not pile up.
SHARED_TIMEOUT = 3600
PROCESS_CACHE_SIZE = 200  # the platform's matcher plus the most recent sites' own


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class CheckedField:
    """One field of an article: ``key`` names it (e.g. "title", "body.3"), ``label``
    is what editors see (标题, 正文)."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Finding:
    rule: str  # "sensitive" | "typo" | "leader_title"
    field: str
    label: str
    start: int  # character offsets in that field's text, end exclusive
    end: int
    text: str
    severity: str  # "block" | "warn"
    category: str
    suggestion: str
    message: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


_FINDING_FIELDS = {f.name for f in dataclasses.fields(Finding)}


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)  # the DictionaryVersion ids used

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == Severity.BLOCK]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == Severity.WARN]

    def as_dict(self) -> dict:
        return {"findings": [finding.as_dict() for finding in self.findings], "versions": list(self.versions)}

    @classmethod
    def from_dict(cls, data: dict) -> "CheckReport":
        findings = [Finding(**{key: value for key, value in item.items() if key in _FINDING_FIELDS})
                    for item in data.get("findings", [])]
        return cls(findings=findings, versions=list(data.get("versions", [])))


# --------------------------------------------------------------------------- checking

def check_fields(fields: Sequence[CheckedField], *, site_id: int | None) -> CheckReport:
    """Check the fields against the platform-wide dictionaries and, with a site_id,
    that site's own. Findings come sorted by field order, then position."""
    platform, own = active_versions(site_id)
    matchers = [matcher for matcher in (matcher_for(PLATFORM, platform), matcher_for(site_id, own)) if matcher]
    versions = sorted(version for matcher in matchers for version in matcher.versions)
    findings = []
    for checked in fields:
        if not checked.text or not matchers:
            continue
        prepared = prepare(checked.text)
        hits = []
        for matcher in matchers:
            hits += matcher.find(prepared)
        for start, end, entry in resolve(hits):
            findings.append(_finding(checked, start, end, entry))
    return CheckReport(findings=findings, versions=versions)


def _finding(checked: CheckedField, start: int, end: int, entry: Entry) -> Finding:
    text = checked.text[start:end]
    rule, severity, category = entry[RULE], entry[SEVERITY], entry[CATEGORY]
    suggestion, subject = entry[SUGGESTION], entry[SUBJECT]
    # The message is in the active language; ``category`` keeps the dictionary's own
    # value (its fallbacks are stored in reports like the dictionaries' categories).
    if rule == "sensitive":
        if severity == Severity.BLOCK:
            if category:
                message = _("Contains the prohibited word “%(text)s” (%(category)s)")
            else:
                message = _("Contains the prohibited word “%(text)s”")
        elif category:
            message = _("Contains “%(text)s” (%(category)s), a word to use with care: please confirm")
        else:
            message = _("Contains “%(text)s”, a word to use with care: please confirm")
        message %= {"text": text, "category": category}
        category = category or "敏感词"
    elif rule == "typo":
        category = category or "错别字"
        message = _("Possible typo or non-standard usage “%(text)s”: should be “%(suggestion)s”") % {
            "text": text, "suggestion": suggestion}
    else:
        message = _("The leader title may be wrong: “%(text)s”; the title of %(name)s is %(titles)s") % {
            "text": text, "name": subject, "titles": suggestion}
    return Finding(rule=rule, field=checked.key, label=checked.label, start=start, end=end, text=text,
                   severity=severity, category=category, suggestion=suggestion, message=message)


def highlight(text: str, findings: Sequence[Finding]) -> SafeString:
    """The text, escaped, with each finding in ``<mark class="check-block|check-warn"
    title="message">``. Pass the findings of this one field. Overlapping findings
    share one mark (blocking if any is, titles joined)."""
    # Sorted by span only: two rules may report the same span, and Findings do not compare.
    spans = sorted(((f.start, f.end, f) for f in findings if 0 <= f.start < f.end <= len(text)),
                   key=lambda span: span[:2])
    groups: list[list] = []  # [start, end, [findings]]
    for start, end, finding in spans:
        if groups and start < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(finding)
        else:
            groups.append([start, end, [finding]])
    parts, cursor = [], 0
    for start, end, members in groups:
        severity = Severity.BLOCK if any(m.severity == Severity.BLOCK for m in members) else Severity.WARN
        title = pgettext("list separator", "; ").join(dict.fromkeys(m.message for m in members))
        parts.append(escape(text[cursor:start]))
        parts.append(f'<mark class="check-{severity}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


# --------------------------------------------------------------------------- versions

@dataclass(frozen=True)
class VersionRef:
    id: int
    uid: str


def active_versions(site_id: int | None) -> list[tuple[VersionRef, ...]]:
    """[platform-wide versions, the site's own versions], each sorted by id.

    One query, in SQL rather than through the ORM: it runs on every check, and
    compiling the ORM query cost ~0.6 ms of the ~0.9 ms it took (bench/checks.py)."""
    sql = (f"SELECT d.site_id, v.id, v.uid FROM {_DICTIONARY_TABLE} d "
           f"JOIN {_VERSION_TABLE} v ON v.id = d.active_version_id "
           f"WHERE d.site_id IS NULL OR d.site_id = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [site_id])
        rows = cursor.fetchall()
    platform, own = [], []
    for row_site, version_id, uid in rows:
        (platform if row_site is None else own).append(VersionRef(version_id, str(uid)))
    return [tuple(sorted(platform, key=lambda ref: ref.id)), tuple(sorted(own, key=lambda ref: ref.id))]


_DICTIONARY_TABLE = Dictionary._meta.db_table
_VERSION_TABLE = DictionaryVersion._meta.db_table


# --------------------------------------------------------------------------- matchers

@dataclass
class CacheStats:
    """Counters for tests and the benchmark."""

    builds: int = 0        # built from the database
    shared_loads: int = 0  # unpickled from caches["shared"]
    hits: int = 0          # found in this process


class MatcherCache:
    """This process's matchers: one per scope (the platform, or a site), the one of
    that scope's current versions. A new active version replaces its scope's matcher
    (the platform's is ~40 MB for 50,000 terms, so old ones are not kept); sites'
    matchers are dropped least recently used first beyond ``size`` sites."""

    def __init__(self, size: int = PROCESS_CACHE_SIZE, use_shared: bool = True):
        self.size = size
        self.use_shared = use_shared
        self.stats = CacheStats()
        self._entries: OrderedDict[object, tuple[str, Matcher]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, scope, refs: tuple[VersionRef, ...]) -> Matcher | None:
        """``scope`` is PLATFORM or a site id; ``refs`` that scope's active versions."""
        if not refs:
            return None
        key = _cache_key(refs)
        with self._lock:
            cached = self._entries.get(scope)
            if cached is not None and cached[0] == key:
                self._entries.move_to_end(scope)
                self.stats.hits += 1
                return cached[1]
            matcher = self._load_shared(key) if self.use_shared else None
            if matcher is None:
                matcher = build_matcher([ref.id for ref in refs])
                self.stats.builds += 1
                if self.use_shared:
                    self._store_shared(key, matcher)
            else:
                self.stats.shared_loads += 1
            self._entries[scope] = (key, matcher)
            self._entries.move_to_end(scope)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return matcher

    def _load_shared(self, key: str) -> Matcher | None:
        try:
            data = caches[SHARED_CACHE].get(key)
            return pickle.loads(data) if data else None
        except Exception:  # a cache outage or a stale pickle must not stop a check
            logger.warning("could not load matcher %s from the shared cache", key, exc_info=True)
            return None

    def _store_shared(self, key: str, matcher: Matcher) -> None:
        try:
            caches[SHARED_CACHE].set(key, pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL),
                                     timeout=SHARED_TIMEOUT)
        except Exception:
            logger.warning("could not store matcher %s in the shared cache", key, exc_info=True)


def _cache_key(refs: tuple[VersionRef, ...]) -> str:
    digest = hashlib.sha1(",".join(ref.uid for ref in refs).encode()).hexdigest()
    return f"checks:matcher:{MATCHER_FORMAT}:{digest}"


matcher_cache = MatcherCache()
PLATFORM = "platform"


def matcher_for(scope, refs: tuple[VersionRef, ...]) -> Matcher | None:
    return matcher_cache.get(scope, refs)


def build_matcher(version_ids: Sequence[int]) -> Matcher:
    """Read the terms of these versions and build their automaton."""
    started = time.perf_counter()
    versions = {
        version.id: version for version in
        DictionaryVersion.objects.filter(id__in=version_ids).select_related("dictionary")
        .only("id", "checked_titles", "dictionary__kind")
    }
    builder = MatcherBuilder()
    terms = (Term.objects.filter(version_id__in=list(versions)).order_by("version_id", "position")
             .values_list("version_id", "text", "replacement", "category", "severity"))
    for version_id, text, replacement, category, severity in terms:
        version = versions[version_id]
        kind = version.dictionary.kind
        if kind == DictionaryKind.SENSITIVE:
            builder.add_sensitive(text, category=category, severity=severity)
        elif kind == DictionaryKind.TYPO:
            builder.add_typo(text, replacement=replacement, category=category, severity=severity)
        else:
            builder.add_leader(text, correct_titles=[t for t in replacement.split("、") if t],
                               checked_titles=list(version.checked_titles or []), severity=severity)
    matcher = builder.build(tuple(sorted(versions)))
    logger.info("built checks matcher for versions %s: %d terms in %.3fs",
                matcher.versions, matcher.term_count, time.perf_counter() - started)
    return matcher
