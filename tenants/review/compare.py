"""Revision compare that shows the changed characters of Chinese text.

Wagtail's ``wagtail.admin.compare.diff_text`` groups ``str.isalnum()`` characters into
tokens. Every Han character is alphanumeric, so an unbroken run of Chinese (a whole
sentence) is one token, and an edit of one character marks the whole sentence as
deleted and added again. Its matcher also treats every token of four characters or
fewer as junk (``isjunk=lambda t: len(t) <= 4``), which, with one character per token,
would leave no Chinese token to anchor a match on.

Here Latin words and numbers stay one token each, as in Wagtail, but every CJK
character and CJK punctuation mark is a token of its own. The matcher has no junk
function and no automatic junk heuristic (``autojunk=False``: in a long document the
common characters 的, 。 and ， would otherwise count as "popular" and never anchor a
match). Matching single characters finds incidental common characters inside a
rewritten passage (a 的 here, a ， there); like diff-match-patch's semantic cleanup, an
unchanged stretch no longer than the changes on both sides of it is folded into them, so
a rewritten sentence reads as one deletion and one addition. Sentences are matched
before characters, so a long document costs a diff of the sentences that changed.

``install()`` (called from ``ReviewConfig.ready()``) puts ``diff_text`` in Wagtail's place.
"""
import difflib
import re

from wagtail.admin.compare import TextDiff

_SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]+|[^。！？；!?;\n]+")
# A changed stretch (a run of changed sentences less its common start and end) of
# more than LARGE_CHANGE tokens is matched with difflib's autojunk heuristic, and one of
# more than HUGE_CHANGE tokens is shown as deleted and added whole, so that comparing a
# rewrite of a very long text takes well under a second.
LARGE_CHANGE = 5_000
HUGE_CHANGE = 30_000

# Scripts written without spaces between words: each of their characters is a token.
# (Punctuation, CJK or not, is never alphanumeric, so it is a token of its own anyway;
# full-width letters and digits group like ASCII ones.)
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。「」〇 々 …)
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31A0, 0x31FF),  # bopomofo extended, CJK strokes, katakana extension
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0x20000, 0x323AF),  # CJK extensions B-H and compatibility supplement
)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def tokenise(text: str | None) -> list[str]:
    """Latin words and numbers as one token each; every other character (CJK, punctuation,
    whitespace) as a token of its own."""
    tokens, word = [], []
    for char in text or "":
        if char.isalnum() and not is_cjk(char):
            word.append(char)
            continue
        if word:
            tokens.append("".join(word))
            word = []
        tokens.append(char)
    if word:
        tokens.append("".join(word))
    return tokens


def sentences(text: str | None) -> list[str]:
    """The text cut after each sentence end (。！？；!?; or a line break)."""
    return _SENTENCE.findall(text or "")


def _token_segments(a_tokens: list[str], b_tokens: list[str]) -> list[list[str]]:
    # The common start and end first (cheap; a long text without sentence ends).
    start, limit = 0, min(len(a_tokens), len(b_tokens))
    while start < limit and a_tokens[start] == b_tokens[start]:
        start += 1
    end = 0
    while end < limit - start and a_tokens[-1 - end] == b_tokens[-1 - end]:
        end += 1
    a_middle, b_middle = a_tokens[start:len(a_tokens) - end], b_tokens[start:len(b_tokens) - end]
    size = max(len(a_middle), len(b_middle))
    segments = [["equal", "".join(a_tokens[:start])]]
    if size > HUGE_CHANGE:
        segments.append(["change", "".join(a_middle), "".join(b_middle)])
    else:
        # Past LARGE_CHANGE tokens, autojunk keeps the matcher fast (a common character
        # then anchors no match, but is still matched next to the others).
        matcher = difflib.SequenceMatcher(None, a_middle, b_middle, autojunk=size > LARGE_CHANGE)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            deleted, added = "".join(a_middle[i1:i2]), "".join(b_middle[j1:j2])
            segments.append(["equal", deleted] if op == "equal" else ["change", deleted, added])
    segments.append(["equal", "".join(a_tokens[len(a_tokens) - end:])])
    return segments


def _segments(a: str | None, b: str | None) -> list[list[str]]:
    """The diff as alternating segments: ["equal", text] or ["change", deleted, added].
    Sentences are matched first, then the tokens of each changed run of sentences: an
    edit of a long document costs a diff of the sentences it touched, not of the whole."""
    a_sentences, b_sentences = sentences(a), sentences(b)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a_sentences, b_sentences, autojunk=False).get_opcodes():
        if op == "equal":
            pieces = [["equal", "".join(a_sentences[i1:i2])]]
        else:
            pieces = _token_segments(tokenise("".join(a_sentences[i1:i2])), tokenise("".join(b_sentences[j1:j2])))
        for piece in pieces:
            if not any(piece[1:]):
                continue
            previous = segments[-1] if segments else None
            if previous is not None and previous[0] == piece[0]:
                for position in range(1, len(piece)):
                    previous[position] += piece[position]
            else:
                segments.append(piece)
    return segments


def _fold_incidental_equalities(segments: list[list[str]]) -> list[list[str]]:
    """Fold each unchanged stretch that is no longer than the change on either side of
    it into those changes (diff-match-patch's semantic cleanup), until none is left."""
    index = 1
    while index < len(segments) - 1:
        before, equal, after = segments[index - 1], segments[index], segments[index + 1]
        size = len(equal[1])
        if (before[0] == "change" and equal[0] == "equal" and after[0] == "change"
                and size <= max(len(before[1]), len(before[2])) and size <= max(len(after[1]), len(after[2]))):
            segments[index - 1:index + 2] = [["change", before[1] + equal[1] + after[1],
                                              before[2] + equal[1] + after[2]]]
            # The grown change may now outweigh the unchanged stretch before it.
            index = max(index - 2, 1)
            continue
        index += 1
    return segments


def diff_text(a, b) -> TextDiff:
    """Wagtail's ``diff_text`` with CJK-aware tokens: the same TextDiff of "equal",
    "deletion" and "addition" runs (a change's deletion before its addition)."""
    changes = []
    for segment in _fold_incidental_equalities(_segments(a, b)):
        if segment[0] == "equal":
            changes.append(("equal", segment[1]))
            continue
        if segment[1]:
            changes.append(("deletion", segment[1]))
        if segment[2]:
            changes.append(("addition", segment[2]))
    return TextDiff(changes)


def install() -> None:
    """Make Wagtail's revision compare use ``diff_text``.

    Wagtail has no setting or hook for the text diff: TextFieldComparison,
    RichTextFieldComparison, the block comparisons and StreamFieldComparison's
    fallback all call the module-level name ``wagtail.admin.compare.diff_text`` at
    call time, and no other module imports that name, so replacing it there covers
    every caller. (Registering comparison classes would miss the blocks.)"""
    from wagtail.admin import compare

    compare.diff_text = diff_text
