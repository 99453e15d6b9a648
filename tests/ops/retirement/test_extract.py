"""Extracting archived pages (ops.retirement.lib.extract) against the sample site's ground
truth, and the shapes of old government pages one by one."""
import datetime
from collections import Counter

import pytest

from ops.retirement import sample_site
from ops.retirement.lib.decoding import decode_html
from ops.retirement.lib.extract import ALLOWED_TAGS, extract_page, parse_datetime
from ops.retirement.lib.urls import canonicalize

BASE = "http://old.example.gov.cn"
URL = BASE + "/zwgk/zcwj/2015/0312/c123.htm"


@pytest.fixture(scope="module")
def site():
    return sample_site.generate(300, seed=21)


@pytest.fixture(scope="module")
def extracted(site):
    pages = {}
    for path in site.truth:
        response = site.responses[path]
        text = decode_html(response.body, dict(response.headers)["Content-Type"]).text
        pages[path] = extract_page(text, BASE + path)
    return pages


def fields(page) -> dict:
    return {"title": page.title, "pub_date": page.pub_date.date() if page.pub_date else None,
            "body_text": page.body_text, "metadata": page.metadata}


def path_of(url: str) -> str:
    canonical = canonicalize(url)
    assert canonical.startswith(BASE), url
    return canonical[len(BASE):]


def policy_page(block: str, body: str = "<p>各乡镇人民政府：现将有关事项通知如下。</p>") -> str:
    return (f'<html><head><title>关于印发某县实施方案的通知_某县人民政府</title></head><body>'
            f'<div class="nav"><a href="/">首页</a></div><div class="article">{block}'
            f'<h1>关于印发某县实施方案的通知</h1><div id="zoom">{body}</div></div>'
            f'<div class="footer">版权所有：某县人民政府</div></body></html>')


# -- the sample site ---------------------------------------------------------------------------------
def test_the_extraction_finds_at_least_98_percent_of_the_truth(site, extracted):
    correct, total = sample_site.score(site, {path: fields(page) for path, page in extracted.items()})
    assert total > 1500
    assert correct / total >= 0.98, (correct, total)


def test_each_field_is_right_on_at_least_98_percent_of_the_pages(site, extracted):
    right, seen = Counter(), Counter()
    for path, truth in site.truth.items():
        page = extracted[path]
        checks = {"title": sample_site.similar(truth.title, page.title, 1.0)}
        if truth.pub_date:
            checks["pub_date"] = page.pub_date is not None and page.pub_date.date() == truth.pub_date
        if truth.body_text:
            checks["body"] = sample_site.similar(truth.body_text, page.body_text)
        for key, value in truth.metadata.items():
            checks[key] = value == page.metadata.get(key) if not isinstance(value, str) else \
                sample_site.similar(value, page.metadata.get(key) or "", 1.0)
        for name, ok in checks.items():
            seen[name] += 1
            right[name] += ok
    assert {"title", "pub_date", "body", "index_number", "validity", "source", "author"} <= set(seen)
    for name in seen:
        assert right[name] / seen[name] >= 0.98, (name, right[name], seen[name])


def test_each_page_gets_its_kind(site, extracted):
    expected = {"article": "article", "policy": "policy", "list": "list", "home": "list"}
    wrong = [(path, truth.kind, extracted[path].kind) for path, truth in site.truth.items()
             if extracted[path].kind != expected[truth.kind]]
    assert not wrong


def test_the_publication_time_is_aware_and_in_shanghai(site, extracted):
    timed = 0
    for path, truth in site.truth.items():
        page = extracted[path]
        if truth.pub_date:
            assert page.pub_date.tzinfo is not None and page.pub_date.utcoffset() == datetime.timedelta(hours=8)
            timed += bool(page.pub_date.hour or page.pub_date.minute)
    assert timed  # "发布时间：2015-03-12 10:20" keeps its time


def test_the_metadata_never_reaches_the_main_text(site, extracted):
    policies = [path for path, truth in site.truth.items() if truth.kind == "policy"]
    assert policies
    for path in policies:
        page, truth = extracted[path], site.truth[path]
        for text in (page.body_text, page.body_html):
            assert truth.metadata["index_number"] not in text, path
            assert "索引号" not in text and "发文字号" not in text and "主题分类" not in text, path
        assert truth.title not in page.body_text.split("\n")  # nor does the title


def test_attachments_and_images_are_found_with_absolute_addresses(site, extracted):
    types = set()
    for path, truth in site.truth.items():
        page = extracted[path]
        if truth.kind not in ("article", "policy"):
            continue
        assert {path_of(item["url"]) for item in page.attachments} == set(truth.attachments), path
        assert {path_of(item["url"]) for item in page.images} == set(truth.images), path
        for item in page.attachments:
            assert item["url"].startswith(BASE + "/") and item["title"] and item["url"].endswith("." + item["ext"])
            types.add(item["ext"])
        for item in page.images:
            assert item["url"].startswith(BASE + "/")
            assert f'src="{item["url"]}"' in page.body_html
    assert types == set(sample_site.ATTACHMENT_TYPES)


def test_links_of_the_main_text_are_found_and_nothing_of_the_furniture(site, extracted):
    tracked = 0
    for path, truth in site.truth.items():
        page = extracted[path]
        if truth.kind not in ("article", "policy"):
            continue
        found = {path_of(link) for link in page.links}
        assert set(truth.links) <= found, path
        broken = found - set(truth.links)
        assert all(link not in site.responses for link in broken), path  # only the dead links are extra
        assert "/" not in found and "/admin/login.jsp" not in found
        tracked += any(("utm_source" in link or "jsessionid" in link) for link in page.links)
    assert tracked  # links are kept as written; canonicalizing them is the mapping's job


def test_pages_with_a_base_href_resolve_their_links_against_it(site, extracted):
    pages = [path for path in site.truth if b"<base href" in site.responses[path].body]
    assert pages
    for path in pages:
        truth, page = site.truth[path], extracted[path]
        assert set(truth.links) <= {path_of(link) for link in page.links}
        assert {path_of(item["url"]) for item in page.attachments} == set(truth.attachments)


def test_list_pages_give_all_their_other_pages(site, extracted):
    styles = set()
    for path, truth in site.truth.items():
        if truth.kind != "list":
            continue
        others = {other for other, item in site.truth.items()
                  if item.kind == "list" and item.column_path == truth.column_path and other != path}
        assert {path_of(link) for link in extracted[path].next_pages} == others, path
        if others:
            styles.add("query" if "?" in path or any("?" in other for other in others) else "static")
        assert not extracted[path].body_text and extracted[path].pub_date is None
    assert styles == {"query", "static"}


def test_the_breadcrumb_gives_the_old_column(site, extracted):
    with_trail = 0
    for path, truth in site.truth.items():
        page = extracted[path]
        if truth.kind == "home":
            continue
        if "位置" in decode_html(site.responses[path].body).text:
            with_trail += 1
            assert (page.column_name, page.column_path) == (truth.column_name, truth.column_path), path
        else:  # without one, the address says it
            assert page.column_path == truth.column_path, path
    assert with_trail


def test_the_body_html_is_sanitised(extracted):
    for page in extracted.values():
        html = page.body_html
        assert "<script" not in html and "<font" not in html and "style=" not in html and "<div" not in html
        tags = {part.split(">", 1)[0].split()[0].strip("/") for part in html.split("<")[1:] if part.strip()}
        assert tags <= ALLOWED_TAGS, tags
        assert 'href="javascript' not in html and 'href="../' not in html


# -- government metadata, shape by shape --------------------------------------------------------------
def test_a_policy_table_with_the_values_in_the_next_cell():
    block = ('<table class="xxgk"><tr><th>索 引 号</th><td>003185706/2015-00151</td><th>主题分类</th><td>综合政务</td></tr>'
             '<tr><th>发文机关</th><td>某县人民政府办公室</td><th>成文日期</th><td>2015年03月10日</td></tr>'
             '<tr><td class="label">发文字号：</td><td>某政办〔2015〕3号</td><td class="label">发布日期：</td>'
             '<td>2015-3-12</td></tr><tr><td><b>体裁分类</b></td><td>通知</td><td>有　效　性</td><td>现行有效</td></tr>'
             '</table>')
    page = extract_page(policy_page(block), URL)
    assert page.kind == "policy"
    assert page.metadata == {"index_number": "003185706/2015-00151", "topic": "综合政务",
                             "issuing_organ": "某县人民政府办公室", "written_date": datetime.date(2015, 3, 10),
                             "document_number": "某政办〔2015〕3号", "publish_date": datetime.date(2015, 3, 12),
                             "genre": "通知", "validity": "valid"}
    assert page.pub_date == datetime.datetime(2015, 3, 12, tzinfo=page.pub_date.tzinfo)
    assert page.title == "关于印发某县实施方案的通知"
    assert "索引号" not in page.body_text and "某政办" not in page.body_html and page.body_text.startswith("各乡镇")


def test_a_policy_table_with_labels_and_values_in_one_cell_full_and_half_width_colons():
    block = ('<table><tr><td>索引号：11341122/2016-00012</td><td>主题分类: 城乡建设、环境保护</td></tr>'
             '<tr><td>发布机构：某县住房和城乡建设局</td><td>成文日期：2016/05/03</td></tr>'
             '<tr><td>文号：某建〔2016〕45号</td><td>发布日期：2016年5月9日</td></tr>'
             '<tr><td>有效性：已废止</td><td></td></tr></table>')
    metadata = extract_page(policy_page(block), URL).metadata
    assert metadata == {"index_number": "11341122/2016-00012", "topic": "城乡建设、环境保护",
                        "issuing_organ": "某县住房和城乡建设局", "written_date": datetime.date(2016, 5, 3),
                        "document_number": "某建〔2016〕45号", "publish_date": datetime.date(2016, 5, 9),
                        "validity": "repealed"}


def test_policy_metadata_as_a_list_and_as_a_definition_list():
    listed = ('<div class="xxgk_info"><ul><li><span>索引号：</span>003/2018-00001</li>'
              '<li><span>发文机关：</span>某县财政局</li><li><b>发文字号</b>：某财〔2018〕7号</li>'
              '<li><span>成文日期：</span>2018-01-05</li><li><span>有效性：</span>已修订</li></ul></div>')
    metadata = extract_page(policy_page(listed), URL).metadata
    assert metadata == {"index_number": "003/2018-00001", "issuing_organ": "某县财政局",
                        "document_number": "某财〔2018〕7号", "written_date": datetime.date(2018, 1, 5),
                        "validity": "amended"}
    defined = ('<dl><dt>索引号：</dt><dd>004/2019-00002</dd><dt>发布机构：</dt><dd>某县水利局</dd>'
               '<dt>发文字号：</dt><dd>某水〔2019〕2号</dd></dl>')
    metadata = extract_page(policy_page(defined), URL).metadata
    assert metadata == {"index_number": "004/2019-00002", "issuing_organ": "某县水利局",
                        "document_number": "某水〔2019〕2号"}


def test_a_metadata_table_inside_the_main_texts_box_is_cut_out_of_it():
    block = ('<table><tr><td>索引号：</td><td>005/2020-1</td><td>发文机关：</td><td>某县教育局</td></tr>'
             '<tr><td>发文字号：</td><td>某教〔2020〕1号</td><td>发布日期：</td><td>2020-06-01</td></tr></table>')
    page = extract_page(policy_page("", body=block + "<p>各中小学：现将有关事项通知如下。</p><p>特此通知。</p>"), URL)
    assert page.kind == "policy" and page.metadata["document_number"] == "某教〔2020〕1号"
    assert page.body_text == "各中小学：现将有关事项通知如下。\n特此通知。"
    assert "<table" not in page.body_html


def test_a_trs_disclosure_page_with_spaced_labels_and_labels_we_do_not_know():
    html = ('<html><head><title>某市人民政府关于印发2021年重点工作任务分解方案的通知 - 市政府文件 - 某市人民政府</title>'
            '<meta name="ColumnName" content="市政府文件"><meta name="PubDate" content="2021-01-08 16:32"></head><body>'
            '<div class="header"><div class="nav"><a href="/">首页</a> <a href="/public/">信息公开</a></div></div>'
            '<table class="table_suoyin"><tr><th>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</th><td>113411/202101-00012</td>'
            '<th>信息分类：</th><td>政府文件</td></tr><tr><th>发布机构：</th><td><span>市政府办公室</span></td>'
            '<th>生成日期：</th><td>2021-01-05</td></tr><tr><th>名&nbsp;&nbsp;&nbsp;&nbsp;称：</th><td colspan="3">'
            '某市人民政府关于印发2021年重点工作任务分解方案的通知</td></tr><tr><th>文&nbsp;&nbsp;&nbsp;&nbsp;号：</th>'
            '<td>某政〔2021〕1号</td><th>关&nbsp;键&nbsp;字：</th><td>重点工作</td></tr><tr><th>有&nbsp;效&nbsp;性：</th>'
            '<td>有效</td><th>发布日期：</th><td>2021-01-08</td></tr></table>'
            '<div class="wzcon"><div class="TRS_Editor"><style>.TRS_Editor P{line-height:2}</style>'
            '<p>各县、市、区人民政府，市政府各部门：</p><p>现将方案印发给你们，请认真贯彻执行。</p></div>'
            '<div class="fujian">附件：<a href="./P020210108563712.docx">任务分解方案.docx</a></div></div>'
            '<div class="print">【<a href="javascript:window.print()">打印</a>】</div></body></html>')
    page = extract_page(html, "https://www.example.gov.cn/public/161052/1108472345.html")
    assert page.kind == "policy" and page.title == "某市人民政府关于印发2021年重点工作任务分解方案的通知"
    assert page.metadata == {"index_number": "113411/202101-00012", "topic": "政府文件", "issuing_organ": "市政府办公室",
                             "written_date": datetime.date(2021, 1, 5), "document_number": "某政〔2021〕1号",
                             "validity": "valid", "publish_date": datetime.date(2021, 1, 8)}
    assert page.body_text == "各县、市、区人民政府，市政府各部门：\n现将方案印发给你们，请认真贯彻执行。"
    assert page.attachments == [{"url": "https://www.example.gov.cn/public/161052/P020210108563712.docx",
                                 "title": "任务分解方案.docx", "ext": "docx"}]
    assert page.column_name == "市政府文件" and page.pub_date.date() == datetime.date(2021, 1, 8)


@pytest.mark.parametrize("shown, state", [
    ("有效", "valid"), ("现行有效", "valid"), ("已修改", "amended"), ("修订", "amended"), ("已修订", "amended"),
    ("废止", "repealed"), ("失效", "repealed"), ("已废止", "repealed")])
def test_validity_is_mapped(shown, state):
    block = (f'<table><tr><td>索引号：1/2015-1</td><td>发文字号：某政〔2015〕1号</td></tr>'
             f'<tr><td>发布机构：某县人民政府</td><td>有效性：{shown}</td></tr></table>')
    assert extract_page(policy_page(block), URL).metadata["validity"] == state


@pytest.mark.parametrize("text, expected", [
    ("2015年03月12日", (2015, 3, 12, 0, 0)), ("2015年3月2日", (2015, 3, 2, 0, 0)), ("2015-3-12", (2015, 3, 12, 0, 0)),
    ("2015/03/12", (2015, 3, 12, 0, 0)), ("2015.03.12", (2015, 3, 12, 0, 0)),
    ("2015-03-12 10:20", (2015, 3, 12, 10, 20)), ("发布时间：2015-03-12 10:20:33", (2015, 3, 12, 10, 20)),
    ("2015年3月12日 10时20分", (2015, 3, 12, 10, 20))])
def test_date_formats(text, expected):
    parsed = parse_datetime(text)
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == expected
    assert str(parsed.tzinfo) == "Asia/Shanghai"


def test_no_date_in_nonsense():
    assert parse_datetime("2015-13-45") is None and parse_datetime("第3期") is None


# -- articles -------------------------------------------------------------------------------------------
def article_page(info: str, head: str = "", title_tag: str = "我县召开安全生产工作会议_某县人民政府",
                 heading: str = "<h1>我县召开安全生产工作会议</h1>") -> str:
    return (f'<html><head><title>{title_tag}</title>{head}</head><body><table><tr><td class="nav">'
            f'<a href="/">首页</a> <a href="/xwzx/">新闻中心</a></td></tr></table>'
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; '
            f'<a href="/xwzx/gzdt/index.html">工作动态</a></div>{heading}<div class="info">{info}</div>'
            f'<div class="TRS_Editor"><p>2014年12月31日以来，全县共排查隐患215处。</p><p>会议要求各单位压实责任。</p>'
            f'<p><img src="../../images/a.jpg" alt="会场"></p><p>附件：<a href="./P020150312.pdf">名单.pdf</a></p></div>'
            f'<div class="side"><a href="/xwzx/gzdt/201401/t20140101_1.html">2014-01-01 旧闻</a></div>'
            f'<div class="footer">版权所有：某县人民政府 2008-2022</div></body></html>')


ARTICLE_URL = BASE + "/xwzx/gzdt/201503/t20150312_77.html"


def test_the_visible_date_wins_over_the_meta_and_the_dates_in_the_text():
    page = extract_page(article_page("发布时间：2015-03-12 10:20　来源：县政府办　作者：王喆　浏览次数：12",
                                     head='<meta name="PubDate" content="2015-03-11 09:00">'), ARTICLE_URL)
    assert page.kind == "article"
    assert (page.pub_date.date(), page.pub_date.hour, page.pub_date.minute) == (datetime.date(2015, 3, 12), 10, 20)
    assert page.metadata["source"] == "县政府办" and page.metadata["author"] == "王喆"


def test_the_meta_pubdate_when_nothing_is_shown():
    page = extract_page(article_page("来源：县政府办", head='<meta name="PubDate" content="2015-03-11 09:00">'),
                        BASE + "/xwzx/gzdt/show.jsp")
    assert page.pub_date.date() == datetime.date(2015, 3, 11)


def test_the_address_date_when_neither_is_there():
    page = extract_page(article_page("来源：县政府办"), ARTICLE_URL)
    assert page.pub_date.date() == datetime.date(2015, 3, 12)


def test_a_date_line_in_the_main_texts_box_counts_only_above_the_text():
    html = ('<html><head><title>会议召开_某县人民政府</title></head><body><div class="TRS_Editor">'
            '<div>日期：2015/3/12</div><p>会议要求各单位压实责任，确保各项任务落到实处，推动工作取得更大成效。</p>'
            '<p>时间：2016年5月1日至31日</p></div></body></html>')
    page = extract_page(html, BASE + "/xwzx/show.jsp")
    assert page.pub_date.date() == datetime.date(2015, 3, 12)
    assert page.body_text == "会议要求各单位压实责任，确保各项任务落到实处，推动工作取得更大成效。\n时间：2016年5月1日至31日"


def test_an_info_line_entry_ends_at_a_run_of_blanks():
    page = extract_page(article_page("发布时间：2015-03-12&nbsp;&nbsp;来源：县政府办&nbsp;&nbsp;打印本页"), ARTICLE_URL)
    assert page.metadata["source"] == "县政府办"


def test_traditional_labels_of_big5_pages():
    page = extract_page(article_page("發布時間：2016-05-04 08:30　來源：縣教育局"), BASE + "/ftb/ywdt/x.html")
    assert page.pub_date.date() == datetime.date(2016, 5, 4) and page.metadata["source"] == "縣教育局"


def test_the_article_itself_is_read_without_its_furniture():
    page = extract_page(article_page("发布日期：2015年03月12日"), ARTICLE_URL)
    assert page.title == "我县召开安全生产工作会议"
    assert page.body_text == "2014年12月31日以来，全县共排查隐患215处。\n会议要求各单位压实责任。\n附件：名单.pdf"
    assert page.images == [{"url": BASE + "/xwzx/images/a.jpg", "alt": "会场"}]
    assert page.attachments == [{"url": BASE + "/xwzx/gzdt/201503/P020150312.pdf", "title": "名单.pdf", "ext": "pdf"}]
    assert (page.column_name, page.column_path) == ("工作动态", "/xwzx/gzdt/")
    assert "旧闻" not in page.body_text and "版权所有" not in page.body_text and "发布日期" not in page.body_text


@pytest.mark.parametrize("title_tag, heading, head, expected", [
    ("我县召开安全生产工作会议_某县人民政府", "", "", "我县召开安全生产工作会议"),
    ("我县召开安全生产工作会议 - 工作动态 - 某县人民政府", "", "", "我县召开安全生产工作会议"),
    ("某县人民政府", "<h1>我县召开安全生产工作会议</h1>", "", "我县召开安全生产工作会议"),
    ("某县人民政府-工作动态", '<div class="article-title">我县召开安全生产工作会议</div>', "", "我县召开安全生产工作会议"),
    ("我县召开…", "", '<meta name="ArticleTitle" content="我县召开安全生产工作会议">', "我县召开安全生产工作会议"),
    ("坚持绿色发展——我县生态建设纪实_某县人民政府", "", "", "坚持绿色发展——我县生态建设纪实"),
])
def test_the_title(title_tag, heading, head, expected):
    page = extract_page(article_page("发布时间：2015-03-12", head=head, title_tag=title_tag, heading=heading),
                        ARTICLE_URL)
    assert page.title == expected


def test_a_page_without_a_known_container_is_read_by_trafilatura():
    html = ('<html><head><title>关于开展春季植树造林活动的通知_某县林业局</title></head><body>'
            '<div class="topnav"><a href="/">首页</a> <a href="/xxgk/">信息公开</a></div>'
            '<div style="width:700px"><h2>关于开展春季植树造林活动的通知</h2><div>时间：2016-03-08</div>'
            '<div>各乡镇林业站：<br>为进一步推进国土绿化，县林业局决定在全县范围内开展春季植树造林活动。<br>'
            '一、活动时间为2016年3月10日至3月20日，各乡镇要结合实际制定具体方案，确保活动取得实效。<br>'
            '二、各乡镇要做好苗木调运和技术指导工作，严把苗木质量关，确保栽植成活率达到90%以上。<br>'
            '<img src="../images/tree.jpg" alt="植树现场"></div></div>'
            '<div class="foot">版权所有：某县林业局</div></body></html>')
    page = extract_page(html, "http://lyj.example.gov.cn/tzgg/20160308/n1.html")
    assert page.kind == "article" and page.title == "关于开展春季植树造林活动的通知"
    assert page.pub_date.date() == datetime.date(2016, 3, 8)
    assert "为进一步推进国土绿化" in page.body_text and "二、各乡镇要做好苗木调运" in page.body_text
    assert "版权所有" not in page.body_text and "信息公开" not in page.body_text
    assert page.images == [{"url": "http://lyj.example.gov.cn/tzgg/images/tree.jpg", "alt": "植树现场"}]
    assert page.column_path == "/tzgg/"


@pytest.mark.parametrize("url, column", [
    ("/zwgk/zcwj/2015/0312/c123.htm", "/zwgk/zcwj/"), ("/xwzx/gzdt/201503/t20150312_1.html", "/xwzx/gzdt/"),
    ("/art/2015/3/12/art_4521_123.html", "/col/col4521/"), ("/xwzx/gzdt/index_2.html", "/xwzx/gzdt/"),
    ("/news/2015-03-12/88.html", "/news/"), ("/", "/")])
def test_the_column_from_the_address(url, column):
    assert extract_page("<html><body><p>x</p></body></html>", BASE + url).column_path == column


def test_an_xhtml_page_that_declares_its_encoding_in_an_xml_declaration():
    html = ('<?xml version="1.0" encoding="gb2312"?>\n<html><head><title>会议召开_某县人民政府</title></head><body>'
            '<div id="zoom"><p>会议要求各单位压实责任，确保各项任务落到实处。</p></div></body></html>')
    page = extract_page(html, ARTICLE_URL)
    assert page.title == "会议召开" and page.body_text == "会议要求各单位压实责任，确保各项任务落到实处。"


def test_empty_pages():
    page = extract_page("", URL)
    assert page.kind == "other" and page.title == "" and page.body_text == ""
    assert extract_page("<html><head><title>某县人民政府</title></head></html>", URL).title == "某县人民政府"
