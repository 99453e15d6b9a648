"""Chinese word segmentation (rjieba) for the index and for queries.

Both sides are segmented here, in Python, and handed to PostgreSQL as ready lexemes
(a tsvector literal, a tsquery of quoted lexemes), so PostgreSQL's own parser never
re-splits them and the two sides cannot disagree. The 'simple' configuration's
only normalisation, lower case, is applied here too.

- A document is cut in jieba's search mode: a long word also yields the words inside
  it (人民政府 → 人民, 民政, 政府, 人民政府), so a query for 政府 finds it. Each
  token takes the next position.
- A query is cut precisely; its words are ANDed.

A token without a letter or digit (punctuation, spaces) is dropped on both sides."""
import rjieba

# tsvector limits: positions go up to 16,383 and a lexeme keeps at most 256 of them.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_CHARS = 100


def is_word(token: str) -> bool:
    return any(char.isalnum() for char in token)


def normalise(token: str) -> str:
    return token.strip().lower()


class Positions:
    """lexeme -> [(position, weight letter)], in reading order. Every token has a
    position of its own (no two lexemes share one), so the order of a document's
    words is fully determined, which the ranking (lib/ranking.py) relies on."""

    def __init__(self):
        self.entries: dict[str, list] = {}
        self.next_position = 1

    def add_text(self, text: str, weight: str) -> None:
        for word, _start, _end in rjieba.tokenize(text or "", mode="search"):
            if self.next_position > MAX_POSITION:
                return
            if not is_word(word):
                continue
            positions = self.entries.setdefault(normalise(word)[:MAX_LEXEME_CHARS], [])
            if len(positions) < MAX_POSITIONS_PER_LEXEME:
                positions.append((self.next_position, weight))
            self.next_position += 1


def quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def document_vector(parts, extra_lexemes=()) -> str:
    """A tsvector literal for `parts`, (text, weight letter) pairs in reading order, plus
    position-less `extra_lexemes` (the filter markers, see backends/postgres.py)."""
    positions = Positions()
    for text, weight in parts:
        positions.add_text(text, weight)
    items = []
    for lexeme, entries in positions.entries.items():
        items.append(quote_lexeme(lexeme) + ":" + ",".join(
            f"{position}{'' if weight == 'D' else weight}" for position, weight in entries))
    items.extend(quote_lexeme(lexeme) for lexeme in extra_lexemes)
    return " ".join(items)


def query_words(text: str) -> list[str]:
    """The distinct lexemes of a query, in the order typed."""
    words = []
    for word in rjieba.cut(text):
        lexeme = normalise(word)[:MAX_LEXEME_CHARS]
        if is_word(lexeme) and lexeme not in words:
            words.append(lexeme)
    return words


def tsquery_literal(lexemes) -> str:
    return " & ".join(quote_lexeme(lexeme) for lexeme in lexemes)
