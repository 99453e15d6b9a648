"""索引号 rules: a pattern such as ``{unit_code}/{year}-{seq:5}``.

Tokens: ``{unit_code}`` (the unit's code), ``{year}`` (four digits), ``{month}`` (two
digits) and exactly one ``{seq:N}``, the sequence padded to N digits (1-10). The
sequence counts per *scope*, the pattern with every token but the sequence filled in;
with ``{year}`` it starts again each year."""
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

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
    """The rule, or ValidationError saying in Chinese what is wrong with the pattern."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError("索引号规则不能为空")
    if len(pattern) > 100:
        raise ValidationError("索引号规则过长（最多 100 个字符）")
    if pattern.count("{") != pattern.count("}") or "{}" in pattern:
        raise ValidationError("索引号规则的花括号不配对：%(pattern)s", params={"pattern": pattern})
    widths = []
    for token in TOKEN.findall(pattern):
        seq = SEQ.match(token)
        if seq:
            width = int(seq.group(1) or 5)
            if not 1 <= width <= 10:
                raise ValidationError("序号位数必须在 1 到 10 之间：{%(token)s}", params={"token": token})
            widths.append(width)
        elif token not in KNOWN:
            raise ValidationError(
                "索引号规则中有未知的占位符 {%(token)s}；可用：{unit_code}、{year}、{month}、{seq:N}",
                params={"token": token})
    if len(widths) != 1:
        raise ValidationError("索引号规则必须包含且只能包含一个序号 {seq:N}，否则会产生重复的索引号")
    literal = TOKEN.sub("", pattern)
    if "{" in literal or "}" in literal or not LITERAL.match(literal):
        raise ValidationError("索引号规则只能包含字母、数字、汉字和 / - _ . 等分隔符，不能有空格")
    return Rule(pattern=pattern, seq_width=widths[0])
