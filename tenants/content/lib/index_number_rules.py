"""索引号 rules: a pattern such as ``{unit_code}/{year}-{seq:5}``.

Tokens: ``{unit_code}`` (the unit's code), ``{year}`` (four digits), ``{month}`` (two
digits) and exactly one ``{seq:N}``, the sequence padded to N digits (1-10). The
sequence counts per *scope*, the pattern with every token but the sequence filled in;
with ``{year}`` it starts again each year."""
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKEN = re.compile(r"\{([^{}]*)\}")
SEQ = re.compile(r"^seq(?::(\d+))?$")
KNOWN = {"unit_code", "year", "month"}
# Literal text: letters, digits, CJK and a few separators; no spaces, no braces.
LITERAL = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff/\-_.（）()〔〕\[\]]*$")
DEFAULT_PATTERN = "{unit_code}/{year}-{seq:5}"


@dataclass(frozen=True)
class Rule:
    pattern: str
    seq_width: int

    def scope(self, *, unit_code: str, today: date) -> str:
        """The pattern with everything but the sequence filled in (the counter's key)."""
        values = {"unit_code": unit_code, "year": f"{today.year:04d}", "month": f"{today.month:02d}"}
        return TOKEN.sub(lambda m: "{seq}" if SEQ.match(m.group(1)) else values[m.group(1)], self.pattern)

    def render(self, scope: str, seq: int) -> str:
        return scope.replace("{seq}", f"{seq:0{self.seq_width}d}")

    def max_seq(self) -> int:
        return 10 ** self.seq_width - 1


def parse_rule(pattern: str) -> Rule:
    """The rule, or ValidationError saying what is wrong with the pattern."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError(_("The index number rule must not be empty"))
    if len(pattern) > 100:
        raise ValidationError(_("The index number rule is too long (at most 100 characters)"))
    if pattern.count("{") != pattern.count("}") or "{}" in pattern:
        raise ValidationError(_("The braces of the index number rule do not pair up: %(pattern)s"),
                              params={"pattern": pattern})
    widths = []
    for token in TOKEN.findall(pattern):
        seq = SEQ.match(token)
        if seq:
            width = int(seq.group(1) or 5)
            if not 1 <= width <= 10:
                raise ValidationError(_("The sequence number must have 1 to 10 digits: {%(token)s}"),
                                      params={"token": token})
            widths.append(width)
        elif token not in KNOWN:
            raise ValidationError(
                _("Unknown placeholder {%(token)s} in the index number rule; available: "
                  "{unit_code}, {year}, {month}, {seq:N}"),
                params={"token": token})
    if len(widths) != 1:
        raise ValidationError(_("The index number rule must contain exactly one sequence number {seq:N}; "
                                "otherwise index numbers would repeat"))
    literal = TOKEN.sub("", pattern)
    if "{" in literal or "}" in literal or not LITERAL.match(literal):
        raise ValidationError(_("The index number rule may contain only letters, digits, Chinese characters and "
                                "separators such as / - _ . (no spaces)"))
    return Rule(pattern=pattern, seq_width=widths[0])
