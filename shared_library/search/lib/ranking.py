"""The ranking of the RUM index (`tsvector <=> tsquery`, the extension's
`calc_score_docr` for version 1.3), computed in Python for the GIN fallback, so that
both index kinds give the same results.

Only what our queries use is carried over: a conjunction of distinct lexemes, with
no prefix or phrase operators, over documents whose positions are all distinct
(lib/segmentation.py), with RUM's default weights and no normalisation. The score
adds up the covers (the shortest stretches holding every query word): the density of
each, divided by (1 + the words between), and a cover repeating the same sequence of
words counts 1, 1/4, 1/9… of itself (divided by π²/6). The distance is 1 / score, in
single precision as RUM returns it. Tests compare it with the extension's operator."""
import struct

# RUM's weights array: 1/0.1, 1/0.2, 1/0.4, 1/1.0 as C floats; by the weight class of a
# position (D = 0 … A = 3).
WEIGHT_CLASS = {"D": 0, "C": 1, "B": 2, "A": 3}
_INVERSE_WEIGHTS = [1.0 / struct.unpack("f", struct.pack("f", w))[0] for w in (0.1, 0.2, 0.4, 1.0)]
INVERSE_WEIGHTS = [struct.unpack("f", struct.pack("f", w))[0] for w in _INVERSE_WEIGHTS]
PI2_6 = 1.64493406685
INFINITY = float("inf")


def to_float4(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def _covers(doc, wanted: int):
    """RUM's Cover(): yields (begin, end) indexes into `doc` ((position, weight class,
    lexeme number) sorted by position)."""
    start = 0
    length = len(doc)
    while True:
        seen = set()
        end = None
        index = start
        while index < length:
            seen.add(doc[index][2])
            if len(seen) == wanted:
                end = index
                break
            index += 1
        if end is None:
            return
        seen = set()
        begin = None
        index = end
        while index >= start:
            seen.add(doc[index][2])
            if len(seen) == wanted:
                begin = index
                break
            index -= 1
        if begin is not None and doc[begin][0] <= doc[end][0]:
            start = begin + 1
            yield begin, end
        else:
            start += 1


def score(doc, wanted: int) -> float:
    """`doc`: [(position, weight class, lexeme number)] of the query's lexemes in the
    document, sorted by position; `wanted`: the number of query lexemes."""
    if not doc:
        return 0.0
    groups: dict[tuple, list] = {}  # cover's sequence of lexemes -> [count, rank], first seen first
    for begin, end in _covers(doc, wanted):
        inverse_sum = 0.0
        for position in range(begin, end + 1):
            inverse_sum += INVERSE_WEIGHTS[doc[position][1]]
        density = (end - begin + 1) / inverse_sum * wanted
        noise = (doc[end][0] - doc[begin][0]) - (end - begin)
        if noise < 0:
            noise = (end - begin) // 2
        group = groups.setdefault(tuple(entry[2] for entry in doc[begin:end + 1]), [0, 0.0])
        group[0] += 1
        group[1] += density / (1 + noise) / group[0] / group[0] / PI2_6
    total = 0.0
    for _count, rank in groups.values():
        total += rank
    return to_float4(total)


def distance(doc, wanted: int) -> float:
    """What `vector <=> query` returns (float4)."""
    value = score(doc, wanted)
    return INFINITY if value == 0 else to_float4(1.0 / value)


def document(positions_by_lexeme: dict, lexemes: list[str]) -> list:
    """The doc representation from {lexeme: [(position, weight letter)]}."""
    doc = []
    for number, lexeme in enumerate(lexemes):
        for position, weight in positions_by_lexeme.get(lexeme, ()):
            doc.append((position, WEIGHT_CLASS[weight], number))
    doc.sort()
    return doc
