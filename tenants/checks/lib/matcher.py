"""The automaton behind the checks: pyahocorasick over UTF-16 code units, and the rule
that picks what to report when matches overlap. No database here: ``MatcherBuilder``
takes entries, so the engine (from dictionary versions) and tests or benchmarks (from
generated terms) build the same thing.

Why UTF-16: pyahocorasick keeps each trie node's transitions in a list it scans
linearly, so with Chinese keys the root has thousands of children (one per distinct
first character) and every character of the text pays for a scan of them. Feeding
the automaton the text's UTF-16 bytes (as a latin-1 ``str``) gives every node at most
256 children; big-endian puts the high byte first, of which CJK text has only ~80
distinct values, so the root stays small. Measured on 50,000 generated terms and a
10,000-character text: one pass takes ~0.8 ms (big-endian) against ~1.0 ms
(little-endian) and ~5.5-12 ms (characters); with 200 terms ~0.45 ms against ~0.75 ms.
A match must start on an even byte (a code unit boundary); odd ones are discarded.
Offsets are converted back to characters, also for text outside the BMP (surrogate
pairs).

ASCII letters are matched case-insensitively (``VPN`` finds ``vpn``); nothing else
is normalised."""
from __future__ import annotations

import re
import sys
from typing import NamedTuple

import ahocorasick

ENCODING = "utf-16-be"
_ASCII_UPPER = re.compile(r"[A-Z]+")
SEVERITY_RANK = {"block": 0, "warn": 1}


# What a key means: a plain tuple (rule, severity, category, suggestion, subject, ok),
# not a NamedTuple, because tens of thousands of them are unpickled when a process
# loads a shared matcher, and plain tuples of interned strings unpickle ~10x faster.
# ``ok`` entries are correct uses (a leader's name next to one of that leader's
# titles): they report nothing, but hide the wrong matches they contain.
Entry = tuple
RULE, SEVERITY, CATEGORY, SUGGESTION, SUBJECT, OK = range(6)


def entry(rule: str, severity: str, category: str, suggestion: str, subject: str, ok: bool = False) -> Entry:
    return (sys.intern(rule), sys.intern(severity), sys.intern(category), suggestion, subject, ok)


class PreparedText(NamedTuple):
    units: str                    # UTF-16-BE bytes as latin-1 characters
    char_at: list[int] | None     # code unit -> character offset; None if all BMP


def normalise(text: str) -> str:
    """ASCII letters lower-cased; nothing else changes, so offsets stay valid."""
    return _ASCII_UPPER.sub(lambda match: match.group().lower(), text)


def encode(text: str) -> str:
    return normalise(text).encode(ENCODING).decode("latin-1")


def prepare(text: str) -> PreparedText:
    units = encode(text)
    if len(units) == 2 * len(text):
        return PreparedText(units, None)
    char_at = []
    for index, char in enumerate(text):
        char_at.append(index)
        if ord(char) > 0xFFFF:
            char_at.append(index)
    char_at.append(len(text))
    return PreparedText(units, char_at)


class Matcher:
    """An automaton built from the entries of some dictionary versions."""

    def __init__(self, automaton, payloads: list[tuple[int, tuple[Entry, ...]]], versions: tuple[int, ...],
                 term_count: int):
        self.automaton = automaton
        self.payloads = payloads      # automaton value -> (key length in bytes, entries)
        self.versions = versions      # DictionaryVersion ids
        self.term_count = term_count

    def find(self, text: PreparedText) -> list[tuple[int, int, Entry]]:
        """Every match, as (start, end, entry) in character offsets, end exclusive."""
        if not self.payloads:
            return []
        hits = []
        payloads, char_at = self.payloads, text.char_at
        for last_byte, value in self.automaton.iter(text.units):
            length, entries = payloads[value]
            first_byte = last_byte - length + 1
            if first_byte & 1:
                continue  # straddles two characters
            start, end = first_byte >> 1, (last_byte + 1) >> 1
            if char_at is not None:
                start, end = char_at[start], char_at[end]
            for found in entries:
                hits.append((start, end, found))
        return hits


class MatcherBuilder:
    def __init__(self):
        self._keys: dict[str, list[Entry]] = {}
        self.term_count = 0

    def add(self, key: str, entry: Entry) -> None:
        if key:
            self._keys.setdefault(encode(key), []).append(entry)

    def add_sensitive(self, text: str, *, category: str, severity: str) -> None:
        self.term_count += 1
        self.add(text, entry("sensitive", severity, category, "", text))

    def add_typo(self, text: str, *, replacement: str, category: str, severity: str) -> None:
        self.term_count += 1
        self.add(text, entry("typo", severity, category, replacement, text))

    def add_leader(self, name: str, *, correct_titles: list[str], checked_titles: list[str], severity: str) -> None:
        """The name next to a checked title that is not one of the leader's titles is a
        finding, on either side ("张三副省长", "副省长张三"); the name next to one of
        the leader's own titles is a correct use, which hides shorter wrong matches
        inside it ("省长张三" inside "副省长张三" when 张三 is 副省长)."""
        self.term_count += 1
        suggestion = "、".join(correct_titles)
        wrong = entry("leader_title", severity, "领导职务", suggestion, name)
        for title in checked_titles:
            if title not in correct_titles:
                self.add(name + title, wrong)
                self.add(title + name, wrong)
        right = entry("leader_title", severity, "领导职务", suggestion, name, ok=True)
        for title in correct_titles:
            self.add(name + title, right)
            self.add(title + name, right)

    def build(self, versions: tuple[int, ...] = ()) -> Matcher:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        payloads = []
        for key, entries in self._keys.items():
            automaton.add_word(key, len(payloads))
            payloads.append((len(key), tuple(entries)))
        if payloads:
            automaton.make_automaton()
        return Matcher(automaton, payloads, tuple(versions), self.term_count)


def resolve(hits: list[tuple[int, int, Entry]]) -> list[tuple[int, int, Entry]]:
    """What to report, sorted by position.

    Per rule: at a position the longest match wins, and a match inside a longer match
    of the same rule is dropped ("副省长张三" hides "省长张三"); partial overlaps are
    both reported. Rules do not hide each other. At one span the most severe entry
    is reported once (the same word in two dictionaries), and a correct use of a
    leader's title (``ok``) at that span reports nothing."""
    by_rule: dict[str, dict[tuple[int, int], list[Entry]]] = {}
    for start, end, found in hits:
        by_rule.setdefault(found[RULE], {}).setdefault((start, end), []).append(found)
    result = []
    for spans in by_rule.values():
        reach = -1
        for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            if end <= reach:
                continue  # inside a longer match of this rule
            reach = end
            entries = spans[(start, end)]
            if any(found[OK] for found in entries):
                continue
            best = min(entries, key=lambda found: SEVERITY_RANK.get(found[SEVERITY], 9))
            result.append((start, end, best))
    result.sort(key=lambda hit: (hit[0], hit[1], hit[2][RULE]))
    return result
