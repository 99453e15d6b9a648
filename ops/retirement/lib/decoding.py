"""The text of an archived page: which encoding its bytes are in, and why we think so.

Old Chinese government sites declare GB2312 and write GBK, declare nothing, or sit
behind a server that claims UTF-8 for everything. The order: a byte order mark; the
declaration (HTTP header, then <meta> in the first 2 KB), widened as browsers widen it
(WHATWG Encoding: GB2312 and GBK are read as GB18030, Big5 as Big5-HKSCS, Latin-1
and ASCII as windows-1252) and decoded strictly; when that fails or nothing is
declared, UTF-8 strictly, then charset_normalizer among sensible candidates, checked
against the characters Chinese text is made of; GB18030 with replacement last."""
import codecs
import re
from dataclasses import dataclass

import charset_normalizer

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"']+)""", re.IGNORECASE)
PRESCAN_BYTES = 2048
HIGH_BYTES = re.compile(rb"[\x80-\xff]+")

# WHATWG labels -> the Python codec that decodes what browsers decode under them.
WIDER = {label: "gb18030" for label in (
    "gb2312", "gbk", "x-gbk", "euc-cn", "cp936", "ms936", "windows-936", "csgb2312", "gb_2312", "gb_2312-80",
    "chinese", "iso-ir-58", "csiso58gb231280", "gb18030", "hz-gb-2312")}
WIDER.update({label: "big5hkscs" for label in ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950")})
WIDER.update({label: "cp1252" for label in (
    "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252",
    "cp819", "ibm819", "iso-ir-100", "csisolatin1", "x-cp1252", "x-user-defined")})
WIDER.update({label: "utf-8" for label in ("utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
                                            "x-unicode20utf8")})
WIDER.update({label: "cp932" for label in ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j",
                                            "csshiftjis", "ms932")})
WIDER.update({label: "cp949" for label in ("euc-kr", "ks_c_5601-1987", "windows-949", "korean", "cseuckr")})
WIDER.update({"utf-16": "utf-16-le", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be", "euc-jp": "euc_jp"})
SINGLE_BYTE = {"cp1252"}
# charset_normalizer chooses among these only (its names); what it says is mapped to our codecs.
# Not EUC-KR: GBK's common characters are valid EUC-KR Hangul, and short Chinese pages would
# come out Korean; a Korean page on these sites has to declare itself.
CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "cp1252", "cp932", "euc_jp"]
DETECTED = {"utf_8": "utf-8", "ascii": "utf-8", "gb18030": "gb18030", "gb2312": "gb18030", "gbk": "gb18030",
            "big5": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs", "cp1252": "cp1252",
            "latin_1": "cp1252", "cp932": "cp932", "shift_jis": "cp932", "euc_jp": "euc_jp", "cp949": "cp949",
            "euc_kr": "cp949"}
# The characters most Chinese text (simplified and traditional) is made of: text decoded
# with the right codec is full of them, mojibake from a wrong one hardly has any.
COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因"
    "由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问"
    "意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山"
    "统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导"
    "器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示"
    "议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布"
    "复容须际商非验连断深难近千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存"
    "候亲快效院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该价严镇乡街道村"
    "們個國時來會說對發動為經過這與從還點當體開實間現進學產種義後麼樣無員關網頁縣鄉鎮區機構應該門務農衛設歷議責監導"
    "壓緊強調組織領導會議們際號單規劃億萬參與總區縣業")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec the text was decoded with
    declared: str  # the label the page declared ("" when none), as written
    reason: str  # "bom", "header", "meta", "xml", "detected", "declared-wrong-detected", "fallback"


def decode_html(body: bytes, content_type: str = "") -> Decoded:
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(encoding, "replace"), encoding, "", "bom")
    declarations = _declarations(body, content_type)
    usable = [(label, reason, _codec(label, reason)) for label, reason in declarations]
    usable = [entry for entry in usable if entry[2] is not None]  # an unknown label counts as no declaration
    for label, reason, encoding in usable:
        text = _strict(body, encoding)
        if text is None:
            continue  # declared wrongly: what the bytes are must be found out
        better = _mislabelled(body, text, encoding)
        if better is not None:
            return Decoded(better[1], better[0], label, "declared-wrong-detected")
        return Decoded(text, encoding, label, reason)
    declared = declarations[0][0] if declarations else ""
    reason = "declared-wrong-detected" if usable else "detected"
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", declared, reason)
    found = _detect(body)
    if found is not None:
        return Decoded(found[1], found[0], declared, reason)
    return Decoded(body.decode("gb18030", "replace"), "gb18030", declared, "fallback")


def chinese_score(text: str) -> float:
    """The share of CJK ideographs in `text` that are common ones (0 when there are none)."""
    ideographs = common = 0
    for char in text:
        if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            ideographs += 1
            common += char in COMMON
    return common / ideographs if ideographs else 0.0


def _declarations(body: bytes, content_type: str) -> list[tuple[str, str]]:
    found = []
    match = HEADER_CHARSET.search(content_type or "")
    if match:
        found.append((match.group(1), "header"))
    head = body[:PRESCAN_BYTES]
    match = META_CHARSET.search(head)
    if match:
        found.append((match.group(1).decode("ascii"), "meta"))
    match = XML_ENCODING.search(head)
    if match:
        found.append((match.group(1).decode("ascii"), "xml"))
    return found


def _codec(label: str, reason: str) -> str | None:
    name = label.strip().lower()
    encoding = WIDER.get(name)
    if encoding is None:
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            return None  # an unknown label counts as no declaration
    if encoding.startswith("utf-16") and reason != "header":
        return "utf-8"  # a <meta> read as ASCII cannot be UTF-16 (WHATWG)
    return encoding


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mislabelled(body: bytes, text: str, encoding: str) -> tuple[str, str] | None:
    """(codec, text) when the declaration decodes but clearly is not what the bytes are:
    UTF-8 or Chinese bytes under a Western label, UTF-8 bytes under a Chinese one."""
    if encoding == "utf-8" or body.isascii():
        return None
    utf8 = _strict(body, "utf-8")
    if utf8 is not None and chinese_score(utf8) > chinese_score(text):
        return "utf-8", utf8
    if encoding in SINGLE_BYTE:
        chinese = _strict(body, "gb18030")
        if chinese is not None and chinese_score(chinese) >= 0.3:
            return "gb18030", chinese
    return None


def _detect(body: bytes) -> tuple[str, str] | None:
    """(codec, text) for bytes that are not UTF-8, or None when nothing decodes."""
    best = charset_normalizer.from_bytes(body, cp_isolation=CANDIDATES).best()
    guess = DETECTED.get(best.encoding, best.encoding) if best is not None else None
    options = {}
    for encoding in dict.fromkeys([guess, "gb18030", "big5hkscs"]):
        if encoding:
            text = _strict(body, encoding)
            if text is not None:
                options[encoding] = text
    if not options:
        return None
    # GBK pages are often valid Big5 too (and the reverse), and short ones fool the detector
    # into Latin-1 or Japanese: on a Chinese site, bytes that read as Chinese are Chinese, and
    # the characters decide between the two. GBK first when nothing tells them apart.
    chinese = {encoding: chinese_score(text) for encoding, text in options.items()
               if encoding in ("gb18030", "big5hkscs")}
    if chinese:
        top = max(chinese, key=lambda name: (chinese[name], name == "gb18030"))
        if guess not in options or guess in chinese or chinese[top] >= 0.3:
            return top, options[top]
        if guess in ("cp932", "euc_jp") and _kana(options[guess]) < 0.5:
            return top, options[top]
        if guess == "cp1252" and _paired_high_bytes(body) >= 0.8:
            return top, options[top]
    return guess, options[guess]


def _kana(text: str) -> float:
    """The share of kana among the non-ASCII characters (real Japanese has many, Chinese read as Japanese few)."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for char in wide if "\u3040" <= char <= "\u30ff") / len(wide)


def _paired_high_bytes(body: bytes) -> float:
    """The share of bytes >= 0x80 standing next to another: all of them in Chinese text, few in Western."""
    runs = HIGH_BYTES.findall(body)
    total = sum(len(run) for run in runs)
    return sum(len(run) for run in runs if len(run) >= 2) / total if total else 0.0
