"""Decoding archived pages (ops.retirement.lib.decoding) against the sample site's ground
truth and the declarations old Chinese government sites got wrong."""
import urllib.error
import urllib.request
from collections import Counter

import pytest

from ops.retirement import sample_site
from ops.retirement.lib import decoding
from ops.retirement.lib.decoding import chinese_score, decode_html

PAGE = "<html><head>{head}<title>{title}</title></head><body><p>{text}</p></body></html>"
SIMPLIFIED = "为深入贯彻落实上级关于安全生产的决策部署，县应急管理局召开全县安全生产工作推进会。"
TRADITIONAL = "會議指出，安全生產工作事關全縣經濟社會發展大局，事關人民群眾切身利益。"


@pytest.fixture(scope="module")
def site():
    return sample_site.generate(300, seed=11)


def content_type(response) -> str:
    return dict(response.headers).get("Content-Type", "")


def test_every_html_page_of_the_sample_site_decodes_to_the_text_it_was_encoded_from(site):
    seen = Counter()
    for path, truth in site.truth.items():
        response = site.responses[path]
        decoded = decode_html(response.body, content_type(response))
        assert decoded.text.encode(truth.encoding) == response.body, (path, truth.encoding, decoded.encoding)
        seen[truth.encoding, decoded.reason] += 1
    # The site has each case the decoder must get right.
    assert seen["gbk", "detected"] and seen["gbk", "declared-wrong-detected"] and seen["gbk", "meta"]
    assert seen["gb2312", "meta"] and seen["big5", "meta"] and seen["gb18030", "header"] and seen["utf-8", "header"]


def test_gbk_without_any_declaration_is_read_as_gb18030(site):
    pages = [path for path, truth in site.truth.items() if truth.encoding == "gbk"
             and "charset" not in content_type(site.responses[path]) and b"charset" not in site.responses[path].body]
    assert pages
    for path in pages:
        decoded = decode_html(site.responses[path].body, content_type(site.responses[path]))
        assert (decoded.encoding, decoded.declared, decoded.reason) == ("gb18030", "", "detected")


@pytest.mark.parametrize("length", [2, 4, 8, 16, 40])
def test_short_gbk_pages_without_declaration_are_not_taken_for_big5(length):
    for start in range(0, len(SIMPLIFIED) - length, 3):
        text = SIMPLIFIED[start:start + length]
        decoded = decode_html(f"<p>{text}</p>".encode("gbk"))
        assert decoded.encoding == "gb18030" and decoded.text == f"<p>{text}</p>", text


def test_big5_without_declaration_is_detected_as_big5():
    decoded = decode_html(PAGE.format(head="", title="某縣人民政府", text=TRADITIONAL).encode("big5"))
    assert decoded.encoding == "big5hkscs" and TRADITIONAL in decoded.text


def test_a_header_claiming_utf8_for_gbk_bytes_is_overruled(site):
    pages = [path for path in site.truth if content_type(site.responses[path]) == "text/html; charset=UTF-8"]
    assert pages
    for path in pages:
        decoded = decode_html(site.responses[path].body, content_type(site.responses[path]))
        assert (decoded.encoding, decoded.declared, decoded.reason) == ("gb18030", "UTF-8", "declared-wrong-detected")
        assert site.truth[path].title in decoded.text


def test_gb2312_declared_with_gbk_only_characters_is_read_as_gb18030():
    body = PAGE.format(head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
                       title="副县长王喆调研", text="朱镕、王喆出席会议").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # what a strict reader of the declaration fails on
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.declared, decoded.reason) == ("gb18030", "gb2312", "meta")
    assert "朱镕、王喆" in decoded.text


def test_the_sample_sites_gb2312_declared_gbk_pages_keep_their_gbk_only_characters(site):
    pages = [path for path, truth in site.truth.items() if truth.encoding == "gbk"
             and b"charset=gb2312" in site.responses[path].body and any(
                 name in truth.body_text for name in sample_site.GBK_ONLY_NAMES)]
    assert pages
    for path in pages:
        text = decode_html(site.responses[path].body, content_type(site.responses[path])).text
        assert any(name in text for name in sample_site.GBK_ONLY_NAMES)


def test_gb18030_four_byte_characters():
    body = PAGE.format(head='<meta charset="gb18030">', title="座谈会", text="群众代表刘䶮、张㐀发言").encode("gb18030")
    decoded = decode_html(body)
    assert decoded.encoding == "gb18030" and "刘䶮、张㐀" in decoded.text


def test_big5_declared_is_read_as_big5_hkscs():
    body = PAGE.format(head='<meta charset="big5">', title="要聞動態", text=TRADITIONAL).encode("big5")
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.reason) == ("big5hkscs", "meta") and TRADITIONAL in decoded.text


def test_the_header_comes_before_the_meta():
    body = PAGE.format(head='<meta charset="utf-8">', title="标题", text=SIMPLIFIED).encode("gbk")
    decoded = decode_html(body, "text/html; charset=GBK")
    assert (decoded.encoding, decoded.declared, decoded.reason) == ("gb18030", "GBK", "header")


def test_a_wrong_header_falls_back_to_the_meta():
    body = PAGE.format(head='<meta charset="gbk">', title="标题", text=SIMPLIFIED).encode("gbk")
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.reason) == ("gb18030", "meta") and SIMPLIFIED in decoded.text


def test_a_byte_order_mark_wins():
    decoded = decode_html("\ufeff<p>政务公开</p>".encode("utf-8"), "text/html; charset=gbk")
    assert (decoded.text, decoded.encoding, decoded.reason) == ("<p>政务公开</p>", "utf-8", "bom")
    decoded = decode_html("\ufeff<p>政务公开</p>".encode("utf-16-le"))
    assert (decoded.text, decoded.encoding) == ("<p>政务公开</p>", "utf-16-le")


def test_latin1_and_ascii_labels_mean_windows_1252():
    decoded = decode_html(b"<p>caf\xe9 \x80 10</p>", "text/html; charset=iso-8859-1")
    assert (decoded.text, decoded.encoding) == ("<p>café € 10</p>", "cp1252")
    assert decode_html(b"<p>\x93ok\x94</p>", "text/html; charset=us-ascii").text == "<p>\u201cok\u201d</p>"


def test_chinese_bytes_under_a_western_label_are_read_as_chinese():
    decoded = decode_html(f"<p>{SIMPLIFIED}</p>".encode("gbk"), "text/html; charset=iso-8859-1")
    assert (decoded.encoding, decoded.reason) == ("gb18030", "declared-wrong-detected")
    assert SIMPLIFIED in decoded.text


def test_utf8_bytes_under_a_chinese_label_are_read_as_utf8():
    decoded = decode_html(PAGE.format(head='<meta charset="gb2312">', title="标题", text=SIMPLIFIED).encode("utf-8"))
    assert (decoded.encoding, decoded.declared, decoded.reason) == ("utf-8", "gb2312", "declared-wrong-detected")
    assert SIMPLIFIED in decoded.text


def test_undeclared_utf8_and_an_unknown_label():
    assert decode_html(f"<p>{SIMPLIFIED}</p>".encode()).encoding == "utf-8"
    decoded = decode_html(PAGE.format(head='<meta charset="x-nonsense">', title="标题", text=SIMPLIFIED).encode())
    assert (decoded.encoding, decoded.reason) == ("utf-8", "detected")


def test_meta_beyond_the_first_2kb_is_not_a_declaration():
    body = ("<html><head>" + "<!-- padding -->" * 200 + '<meta charset="gbk"></head><body>' + SIMPLIFIED
            + "</body></html>").encode("gbk")
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.declared, decoded.reason) == ("gb18030", "", "detected")


def test_bytes_nothing_decodes_fall_back_to_gb18030_with_replacement():
    decoded = decode_html(b"<p>\x81\x20\xff\xfe\xff</p>", "text/html; charset=utf-8")
    assert decoded.encoding == "gb18030" and decoded.reason == "fallback" and "\ufffd" in decoded.text


def test_charset_normalizer_is_not_asked_when_the_declaration_or_utf8_works(site, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("charset_normalizer called")

    monkeypatch.setattr(decoding.charset_normalizer, "from_bytes", forbidden)
    for path, truth in site.truth.items():
        response = site.responses[path]
        declared = "charset" in content_type(response) or b"charset" in response.body[:2048]
        if truth.encoding == "utf-8" or (declared and "UTF-8" not in content_type(response)):
            decode_html(response.body, content_type(response))


def test_chinese_score_tells_text_from_mojibake():
    mojibake = SIMPLIFIED.encode("gbk").decode("big5hkscs", "replace")
    assert chinese_score(SIMPLIFIED) > 0.6 and chinese_score(TRADITIONAL) > 0.6
    assert chinese_score(mojibake) < 0.3 and chinese_score("abc") == 0.0


def test_the_served_site_sends_the_bytes_of_its_responses(site):
    with sample_site.serve(site) as server:
        path = next(path for path, truth in site.truth.items() if truth.encoding == "gbk")
        with urllib.request.urlopen(server.base_url + path + "?utm_source=x") as answer:
            body, header = answer.read(), answer.headers["Content-Type"]
        assert body == site.responses[path].body and server.hits[path] == 1
        assert decode_html(body, header).text.encode("gbk") == body
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.base_url + "/no/such/page.htm")
        assert missing.value.code == 404
