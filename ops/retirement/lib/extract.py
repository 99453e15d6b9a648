"""What an archived page of an old government site holds: its kind, title, date, main
text, 信息公开 metadata, attachments, images, links, old column and pagination.

Old Chinese government CMSs (TRS, Founder, Hanweb and their like) put the main text
in a container with a well-known id or class (#zoom, .TRS_Editor, .article-content…)
inside table layouts; a generic extractor reads those layouts poorly (it keeps the
navigation and the footer and drops the lines of attachment links), so the container
is taken when there is one (else the unmarked box with the most paragraph text), and
trafilatura reads what is left of the page (menus, sidebars and footers pruned) when
there is neither. The metadata is read by us from the
label/value shapes those CMSs use (a table, cells, a list, an info line) and is cut
out of the main text. Dates: the visible 发布时间/发布日期, then <meta name="PubDate">,
then the day in the address (t20150312_1.html), then htmldate."""
import datetime
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import nh3
from lxml import etree

from .links import parse_html
from .urls import absolute

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table",
                "thead", "tbody", "tr", "th", "td", "a", "img"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
ATTACHMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "dps", "ppt", "pptx", "zip", "rar", "7z",
                         "txt", "ofd", "csv", "ceb"}

# The main-text containers of the CMSs these sites ran on (ids and classes, any case).
CONTAINER = re.compile(
    r"^(zoom|trs_editor|article-content|article_content|articlecontent|article-body|article_body|content|"
    r"con|con_text|contxt|zw|zwnr|zwcontent|text|txt|detail|details|artibody|pages_content|bt_content|"
    r"main-txt|maintext|news_content|newscontent|article_con|view|custom_unionstyle|info_content|"
    r"contenttext|ccontent|nr|wz|wzcon|cont|showcontent|content_text|article-text|xl_content)$", re.IGNORECASE)
# Page furniture: navigation, headers and footers, sidebars, breadcrumbs, tools.
CHROME = re.compile(r"nav|menu|footer|foot|bottom|copyright|banner|(?<!in)side|crumb|position|location|tools|"
                    r"share|search|login", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tbody", "thead", "tr",
              "blockquote", "section", "article", "dd", "dt", "dl", "center", "pre", "form", "header", "footer",
              "main", "aside", "nav", "figure", "figcaption", "hr", "address"}
SKIP_TAGS = {"script", "style", "noscript", "select", "option", "textarea", "button", "input", "iframe", "object",
             "embed", "template", "head", "title", "meta", "link"}
CELL_TAGS = {"td", "th"}
CONTAINING = BLOCK_TAGS | CELL_TAGS
LEAF_BLOCKS = ("table", "td", "th", "li", "ul", "ol", "div", "p", "dl", "dd", "dt", "tr")

# Labels of the metadata, as written (simplified; traditional forms are derived).
LABELS = {
    "index_number": ["索引号", "信息索引号", "索取号", "索引"],
    "topic": ["主题分类", "主题类别", "信息分类", "所属主题", "分类"],
    "issuing_organ": ["发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "制发机关", "成文机关", "所属机构"],
    "written_date": ["成文日期", "成文时间", "生成日期", "印发日期"],
    "document_number": ["发文字号", "发文文号", "文号", "文件编号"],
    "publish_date": ["发布日期", "发布时间", "公开日期", "公开时间", "发表时间", "发稿时间", "更新时间", "日期", "时间"],
    "genre": ["体裁分类", "文种", "体裁"],
    "validity": ["有效性", "效力状态", "时效性", "是否有效"],
    "source": ["信息来源", "文章来源", "稿件来源", "来源"],
    "author": ["作者", "撰稿人", "撰稿"],
    "title": ["名称", "标题", "文件名称"],
}
WEAK_LABELS = {"日期", "时间", "時間"}
BLANK_RUN = re.compile(r"[\s\u3000\xa0]+")
GOVERNMENT_KEYS = {"index_number", "issuing_organ", "document_number", "written_date", "topic", "genre", "validity"}
DATE_KEYS = {"written_date", "publish_date"}
TRADITIONAL = str.maketrans("发机关构时间来号题类体种单称标开布", "發機關構時間來號題類體種單稱標開佈")
# Words that end a value in an info line ("作者：张三　浏览次数：12") without being metadata.
STOP_LABELS = ["浏览次数", "浏览量", "点击数", "点击率", "访问量", "阅读次数", "阅读", "字体", "字号", "责任编辑", "编辑",
               "审核", "分享", "打印", "关闭", "瀏覽次數", "點擊數", "字體", "責任編輯", "編輯", "閱讀"]


def _label_pattern(words: list[str]) -> str:
    # Labels are often spaced out to align them: 索 引 号：, 有　效　性
    return "|".join(r"\s*".join(map(re.escape, word)) for word in sorted(set(words), key=len, reverse=True))


LABEL_KEY = {}
for _key, _words in LABELS.items():
    for _word in _words:
        for _form in {_word, _word.translate(TRADITIONAL), _word.translate(TRADITIONAL).replace("佈", "布")}:
            LABEL_KEY[_form] = _key
LABEL = re.compile(r"(?<![\u4e00-\u9fff])(" + _label_pattern(list(LABEL_KEY)) + r")\s*(?:[:：]|$)")
VALUE_END = re.compile(r"(?<![\u4e00-\u9fff])(?:" + _label_pattern(list(LABEL_KEY) + STOP_LABELS) + r")\s*[:：]"
                       r"|[【\[|]|\s{2,}")
DATE = re.compile(r"((?:19|20)\d{2})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?"
                  r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?")
URL_DATE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+|/((?:19|20)\d{2})/(\d{2})(\d{2})/"
                      r"|/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/|/((?:19|20)\d{2})-(\d{2})-(\d{2})/")
LIST_NAME = re.compile(r"^(?:$|index|list|default|more|node_|col)", re.IGNORECASE)
HANWEB_ARTICLE = re.compile(r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_\d+\.html?$")
DATE_SEGMENT = re.compile(r"^(?:(?:19|20)\d{2}(?:\d{2}(?:\d{2})?)?|\d{1,4}|(?:19|20)\d{2}-\d{1,2}(?:-\d{1,2})?)$")
SITE_SUFFIX = re.compile(r"(人民政府|政府|门户网站|門戶網站|网站|網站|政府网|政府網|政务网|政務網|信息网|信息網|官网|官網)$")
# Not "——": titles use it for their subtitles.
TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|－| - | – | — |(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff]))\s*")
TITLE_CLASS = re.compile(r"title|biaoti|^bt$|^tit|headline", re.IGNORECASE)
CRUMB_LEAD = re.compile(r"^.{0,8}?位置\s*[:：]")
CRUMB_GENERIC = {"首页", "首頁", "正文", "内容", "詳細信息", "详细信息", "网站首页", "網站首頁", "主页", "当前页", "详情"}
PAGE_WORDS = {"下一页", "上一页", "首页", "尾页", "末页", "下页", "上页", "最后一页", "第一页", "前一页", "后一页",
              "下一頁", "上一頁", "首頁", "尾頁", "末頁", "下頁", "上頁", ">", "<", ">>", "<<", "»", "«"}
PAGE_QUERY = re.compile(r"(?:^|&)(page|pagenum|pageno|pageindex|curpage|p|pn|start|currentpage)=", re.IGNORECASE)
TOOL_TEXT = re.compile(r"^(?:[【\[(（]?\s*(?:字体|字號|字号|字體|打印本页|打印本頁|打印|关闭窗口|關閉窗口|关闭|關閉|大|中|小|"
                       r"收藏|分享到?|返回顶部|返回頂部|返回|默认|默認|[:：])\s*[】\])）]?\s*)+$")
VALIDITY = (("repealed", ("废止", "失效", "作废", "廢止", "作廢", "无效", "無效")),
            ("amended", ("修改", "修订", "修正", "修訂")),
            ("valid", ("有效", "现行", "現行", "是")))
META_TITLES = ("articletitle",)
META_DATES = ("pubdate", "publishdate", "published", "firstpublishedtime", "article:published_time",
              "og:article:published_time", "dc.date", "dc.date.issued", "weibo: article:create_at")


@dataclass
class Extracted:
    kind: str  # "policy" | "article" | "list" | "other"
    title: str
    pub_date: datetime.datetime | None  # aware, Asia/Shanghai
    body_html: str
    body_text: str
    metadata: dict
    attachments: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    column_path: str = ""
    column_name: str = ""
    next_pages: list[str] = field(default_factory=list)


def extract_page(html: str, url: str) -> Extracted:
    try:
        document = parse_html(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return Extracted(kind="other", title="", pub_date=None, body_html="", body_text="", metadata={})
    return _Page(document, url).extract()


class _Page:
    def __init__(self, document, url: str):
        self.document = document
        self.url = url
        self.base = url
        for element in document.iter("base"):
            if element.get("href"):
                self.base = absolute(element.get("href"), url) or url
                break
        self.meta = {}
        for element in document.iter("meta"):
            name = (element.get("name") or element.get("property") or "").strip().lower()
            if name and element.get("content") and name not in self.meta:
                self.meta[name] = element.get("content").strip()
        self.chrome_cache = {}
        # Scripts write view counters and menus; their code is no text of the page.
        etree.strip_elements(document, "script", "style", with_tail=False)

    def extract(self) -> Extracted:
        container = self._container()
        metadata, blocks, info = self._metadata(container)
        title, title_element = self._title(metadata.pop("title", ""))
        column_path, column_name, crumb = self._column(title)
        next_pages = self._pagination()
        attachments = self._attachments()
        government = GOVERNMENT_KEYS & set(metadata)
        removed = set(blocks) | set(info) | {title_element, crumb} - {None}
        kind = "policy" if len(government) >= 3 else ""
        if not kind and container is not None and not self._link_heavy(container) and \
                _own_text(container) >= 100:
            kind = "article"  # even with pagination: an article in several pages
        if not kind and (next_pages or self._link_heavy(container) or self._link_heavy(None)):
            kind = "list"
        if kind == "list":
            body_html, body_text, images, links = "", "", [], self._list_links(next_pages, attachments)
        elif container is not None:
            body_html, body_text, images, links = self._body_of(container, removed)
        else:
            body_html, body_text, images, links = self._trafilatura(removed)
        if not kind:
            kind = "article" if len(body_text) >= 20 else "other"
        pub_date = None if kind == "list" else self._date(metadata)
        links = [link for link in links if _extension(link) not in ATTACHMENT_EXTENSIONS]
        if "source" not in metadata and self.meta.get("contentsource") and kind in ("article", "policy"):
            metadata["source"] = _squash(self.meta["contentsource"])
        if isinstance(metadata.get("publish_date"), datetime.datetime):
            metadata["publish_date"] = metadata["publish_date"].date()
        return Extracted(kind=kind, title=title, pub_date=pub_date, body_html=body_html, body_text=body_text,
                         metadata=metadata, attachments=attachments, images=images, links=links,
                         column_path=column_path, column_name=column_name, next_pages=next_pages)

    # -- furniture -------------------------------------------------------------------------------
    def _is_chrome(self, element) -> bool:
        """Whether `element` sits in navigation, a header or footer, a sidebar (by its or an ancestor's id/class)."""
        trail = []
        while element is not None:
            known = self.chrome_cache.get(element)
            if known is not None:
                result = known
                break
            trail.append(element)
            if _marked_chrome(element):
                result = True
                break
            element = element.getparent()
        else:
            result = False
        for item in trail:
            self.chrome_cache[item] = result
        return result

    # -- metadata --------------------------------------------------------------------------------
    def _metadata(self, container):
        """(metadata, elements holding the government metadata, info-line elements)."""
        found, holders, info = {}, {}, []
        inside, head = set(), set()  # the main text's box, and what in it comes before its first paragraph
        for element in container.iter() if container is not None else ():
            inside.add(element)
            if len(head) == len(inside) - 1 and not (element.tag == "p" and len(_text(element)) >= 20):
                head.add(element)
        for element in self.document.iter(*LEAF_BLOCKS, "span", "font", "em", "b", "strong", "label"):
            if element.tag in LEAF_BLOCKS and _has_blocks(element):
                continue  # its leaves are read one by one
            text = _label_text(element)
            if not text or len(text) > 300 or not LABEL.search(text):
                continue
            pairs = self._pairs(element, text)
            keys = []
            for key, label, value in pairs:
                if label in WEAK_LABELS and element in inside and element not in head:
                    continue  # "时间：3月1日至31日" in the main text is no date of the page
                value = _clean_value(key, value)
                if value is None:
                    continue
                keys.append(key)
                if key not in found:
                    found[key] = value
            if keys:
                holder = _holder(element)
                holders.setdefault(holder, set()).update(keys)
                if element.tag in ("div", "p", "span", "td") and {"publish_date", "source", "author"} & set(keys) \
                        and not GOVERNMENT_KEYS & set(keys):
                    info.append(element)
        blocks = [holder for holder, keys in holders.items() if len(GOVERNMENT_KEYS & keys) >= 2]
        return found, blocks, info

    def _pairs(self, element, text: str) -> list[tuple[str, str]]:
        matches = list(LABEL.finditer(text))
        if not matches:
            return []
        if len(matches) == 1 and matches[0].start() == 0 and not text[matches[0].end():].strip():
            # A label alone: its value is in the next cell (<th>索引号</th><td>…</td>).
            label = re.sub(r"\s+", "", matches[0].group(1))
            following = _next_cell(element)
            return [(LABEL_KEY[label], label, _text(following))] if following is not None else []
        pairs = []
        for match in matches:
            if text[match.end() - 1:match.end()] not in ":：" and match.end() != len(text):
                continue  # a label without a colon inside running text is just a word
            rest = text[match.end():]
            end = VALUE_END.search(rest)
            label = re.sub(r"\s+", "", match.group(1))
            pairs.append((LABEL_KEY[label], label, rest[:end.start()] if end else rest))
        return pairs

    # -- title -----------------------------------------------------------------------------------
    def _title(self, labelled: str) -> tuple[str, object]:
        head = self.document.find(".//title")
        page_title = _squash(head.text_content()) if head is not None else ""
        stripped = _strip_site(page_title)
        candidates = []
        for name in META_TITLES:
            if self.meta.get(name):
                candidates.append((_squash(self.meta[name]), None))
        if labelled:
            candidates.append((labelled, None))
        for element in self.document.iter("h1"):
            if not self._is_chrome(element) and 2 <= len(_text(element)) <= 150:
                candidates.append((_text(element), element))
        count = 0
        for element in self.document.body.iter("div", "td", "span", "p", "h2", "h3", "font", "b", "strong") \
                if self.document.body is not None else []:
            marks = f"{element.get('id') or ''} {element.get('class') or ''}"
            if marks.strip() and TITLE_CLASS.search(marks) and not self._is_chrome(element):
                text = _text(element)
                if 2 <= len(text) <= 150:
                    candidates.append((text, element))
                    count += 1
                    if count >= 8:
                        break
        site_only = bool(page_title) and all(SITE_SUFFIX.search(part) for part in TITLE_SEPARATOR.split(page_title))
        for text, element in candidates:
            if page_title and not site_only and (text in page_title or (stripped and stripped in text)):
                return text, element
        if site_only:  # a home page, or a site that puts its own name into every <title>
            strong = [candidate for candidate in candidates if candidate[1] is None or candidate[1].tag == "h1"]
            return strong[0] if strong else (page_title, None)
        if candidates and (candidates[0][1] is None or candidates[0][1].tag == "h1"):
            return candidates[0]
        if candidates and stripped in {_text(anchor) for anchor in self.document.iter("a")}:
            return candidates[0]  # the <title> names the column (某县人民政府-工作动态), the page names itself
        return stripped or (candidates[0][0] if candidates else ""), None

    # -- column, breadcrumb, pagination ----------------------------------------------------------
    def _column(self, title: str) -> tuple[str, str, object]:
        crumb = self._breadcrumb()
        name, path = "", ""
        if crumb is not None:
            links = [(a, _text(a)) for a in crumb.iter("a")]
            links = [(a, text) for a, text in links if text and text not in CRUMB_GENERIC and not self._is_self(
                text, title, absolute(a.get("href") or "", self.base))]
            if links:
                anchor, name = links[-1]
                target = absolute(anchor.get("href") or "", self.base)
                if target and urlsplit(target).netloc == urlsplit(self.url).netloc:
                    path = posixpath.dirname(urlsplit(target).path) + "/"
                    path = path if path != "//" else "/"
            else:
                parts = [part for part in re.split(r"\s*(?:>>|>|»|/|→|＞)\s*", CRUMB_LEAD.sub("", _text(crumb)))
                         if part and part not in CRUMB_GENERIC and not self._is_self(part, title, None)]
                name = parts[-1] if parts else ""
        # TRS pages name their column in a <meta> too.
        return path or _column_of(self.url), name or self.meta.get("columnname", ""), crumb

    def _is_self(self, text: str, title: str, target: str | None) -> bool:
        """Whether a breadcrumb entry is the page itself, not its column (trails may end with the article)."""
        if text == title and len(title) > 12:  # column names are short, article titles long
            return True
        if target and target.split("#", 1)[0] == self.url:
            name = posixpath.basename(urlsplit(target).path)
            return not LIST_NAME.match(name)
        return False

    def _breadcrumb(self):
        """The innermost element whose text is the trail (当前位置：首页 > 政务公开 > 政策文件)."""
        def is_trail(element) -> bool:
            text = _text(element)
            return len(text) < 160 and CRUMB_LEAD.match(text) is not None

        for element in self.document.iter("div", "td", "p", "span", "li", "nav"):
            if is_trail(element):
                inner = element
                descending = True
                while descending:
                    descending = False
                    for child in inner:
                        if isinstance(child.tag, str) and child.tag != "a" and is_trail(child):
                            inner, descending = child, True
                            break
                return inner
        return None

    def _pagination(self) -> list[str]:
        here = urlsplit(self.url)
        here_dir = posixpath.dirname(here.path)
        found = {}
        for anchor in self.document.iter("a"):
            text = _text(anchor)
            if not text or not (text in PAGE_WORDS or text.isdigit() and len(text) <= 4):
                continue
            target = absolute(anchor.get("href") or "", self.base)
            if not target:
                continue
            parts = urlsplit(target)
            same_place = parts.netloc == here.netloc and posixpath.dirname(parts.path) == here_dir
            if not same_place or parts.path == "/" or parts.path.rstrip("/") == "":
                continue
            if text.isdigit() and not self._among_pages(anchor):
                continue
            if parts.path == here.path and parts.query == here.query:
                continue
            if text in PAGE_WORDS or parts.query == "" or PAGE_QUERY.search(parts.query):
                found.setdefault(target.split("#", 1)[0], None)
        return list(found)

    @staticmethod
    def _among_pages(anchor) -> bool:
        parent = anchor.getparent()
        if parent is None:
            return False
        numbered = sum(1 for sibling in parent.iter("a") if _text(sibling).isdigit() or _text(sibling) in PAGE_WORDS)
        return numbered >= 2 or "页" in _text(parent) or "頁" in _text(parent)

    # -- the main text -----------------------------------------------------------------------------
    def _container(self):
        for comment in self.document.iter(etree.Comment):
            if "content.begin" in (comment.text or "").lower():  # Hanweb's marker of the main text
                return comment.getparent()
        candidates = []
        for element in self.document.iter("div", "td", "section", "article", "span", "font"):
            marks = [element.get("id") or ""] + (element.get("class") or "").split()
            if any(CONTAINER.match(mark) for mark in marks if mark):
                length = len(_text(element))
                if length >= 10:
                    candidates.append((element, length))
        if not candidates:
            return self._densest()
        best, length = max(candidates, key=lambda pair: pair[1])
        # The innermost container that still holds most of the text (#zoom > .TRS_Editor).
        for element, inner in candidates:
            if inner >= 0.6 * length and element is not best and _contains(best, element):
                best, length = element, inner
        return best

    def _densest(self):
        """The unmarked box holding the most paragraph text (FrontPage-era pages: <td><p>…</p><p>…</p></td>)."""
        best, best_length = None, 0
        for element in self.document.iter("td", "div", "section", "article"):
            paragraphs = [child for child in element if child.tag == "p"]
            if len(paragraphs) < 2 or self._is_chrome(element):
                continue
            length = sum(len(_text(paragraph)) - sum(len(_text(a)) for a in paragraph.iter("a"))
                         for paragraph in paragraphs)
            if length > best_length:
                best, best_length = element, length
        return best if best_length >= 60 else None

    def _link_heavy(self, container) -> bool:
        """Whether the box (or the page without its furniture) is mostly titles of links: a list."""
        scope = container if container is not None else self.document.body
        if scope is None:
            return False
        anchors = [anchor for anchor in scope.iter("a") if len(_text(anchor)) >= 6 and not self._is_chrome(anchor)]
        if len(anchors) < 8:
            return False
        linked = sum(len(_text(anchor)) for anchor in anchors)
        furniture = sum(len(_text(element)) for element in scope.iter()
                        if isinstance(element.tag, str) and element is not scope and _marked_chrome(element)
                        and not self._is_chrome(element.getparent()))
        return linked >= 0.5 * max(len(_text(scope)) - furniture, 1)

    def _body_of(self, container, removed: set) -> tuple[str, str, list, list]:
        for element in list(container.iter()):
            if element is container or not isinstance(element.tag, str):
                continue
            marks = f"{element.get('id') or ''} {element.get('class') or ''}"
            if element in removed or element.tag in ("script", "style", "form") or \
                    (marks.strip() and CHROME.search(marks)) or \
                    (element.tag in BLOCK_TAGS | {"span", "td"} and TOOL_TEXT.match(_text(element) or "x")):
                _drop(element)  # furniture inside the box (a wrapper taken for the container holds some)
        for element in container.iter("a", "img"):
            attribute = "href" if element.tag == "a" else "src"
            value = element.get(attribute)
            if value:
                resolved = absolute(value, self.base)
                if resolved:
                    element.set(attribute, resolved)
                else:
                    del element.attrib[attribute]
        images = [{"url": element.get("src"), "alt": (element.get("alt") or "").strip()}
                  for element in container.iter("img") if element.get("src")]
        links = list(dict.fromkeys(element.get("href").split("#", 1)[0] for element in container.iter("a")
                                   if element.get("href")))
        inner = (container.text or "") + "".join(
            lxml.html.tostring(child, encoding="unicode") for child in container)
        return _sanitise(inner), "\n".join(_lines(container)), images, links

    def _trafilatura(self, removed: set) -> tuple[str, str, list, list]:
        """The main text of a page without a known container: trafilatura on the page without its furniture."""
        import trafilatura

        body = self.document.body
        if body is None:
            return "", "", [], []
        for element in list(body.iter()):
            if not isinstance(element.tag, str) or element is body:
                continue
            if element in removed or element.tag in ("script", "style", "form", "nav", "footer", "header") or (
                    (element.get("id") or element.get("class")) and self._is_chrome(element)):
                if element.getparent() is not None:
                    _drop(element)
        for element in body.iter("a", "img"):
            attribute = "href" if element.tag == "a" else "src"
            if element.get(attribute):
                resolved = absolute(element.get(attribute), self.base)
                if resolved:
                    element.set(attribute, resolved)
        result = trafilatura.extract(self.document, url=self.url, output_format="xml", include_tables=True,
                                     include_images=True, include_links=True, favor_precision=True,
                                     include_comments=False, deduplicate=False)
        if not result:
            return "", "", [], []
        tree = etree.fromstring(result.encode())
        main = tree.find("main")
        if main is None:
            return "", "", [], []
        html_body = _xml_to_html(main)
        fragment = lxml.html.fragment_fromstring(html_body, create_parent="div")
        images = [{"url": element.get("src"), "alt": element.get("alt") or ""}
                  for element in fragment.iter("img") if element.get("src")]
        links = list(dict.fromkeys(element.get("href") for element in fragment.iter("a") if element.get("href")))
        return _sanitise(html_body), "\n".join(_lines(fragment)), images, links

    def _list_links(self, next_pages: list[str], attachments: list[dict]) -> list[str]:
        skip = set(next_pages) | {item["url"] for item in attachments}
        links = {}
        body = self.document.body
        for anchor in body.iter("a") if body is not None else []:
            if len(_text(anchor)) < 4 or self._is_chrome(anchor):
                continue
            target = absolute(anchor.get("href") or "", self.base)
            if target and target not in skip:
                links.setdefault(target.split("#", 1)[0], None)
        return list(links)

    # -- files -----------------------------------------------------------------------------------
    def _attachments(self) -> list[dict]:
        found = {}
        for anchor in self.document.iter("a"):
            href = anchor.get("href")
            if not href or _extension(href.split("#", 1)[0].split("?", 1)[0]) not in ATTACHMENT_EXTENSIONS:
                continue  # (resolving every link of a page first costs a third of the extraction)
            target = absolute(href, self.base)
            ext = _extension(target) if target else ""
            if ext not in ATTACHMENT_EXTENSIONS or self._is_chrome(anchor):
                continue
            title = _text(anchor) or (anchor.get("title") or "").strip()
            found.setdefault(target.split("#", 1)[0], {"url": target.split("#", 1)[0], "title": title, "ext": ext})
        return list(found.values())

    # -- date ------------------------------------------------------------------------------------
    def _date(self, metadata: dict) -> datetime.datetime | None:
        shown = metadata.get("publish_date")
        if isinstance(shown, datetime.datetime):
            return shown
        if isinstance(shown, datetime.date):
            return datetime.datetime(shown.year, shown.month, shown.day, tzinfo=SHANGHAI)
        for name in META_DATES:
            if self.meta.get(name):
                parsed = parse_datetime(self.meta[name])
                if parsed is not None:
                    return parsed
        # The CMSs put the day of publication into the address (t20150312_1.html, /2015/0312/, /art/2015/3/12/);
        # htmldate's search of the page would rather find the date of a linked page.
        match = URL_DATE.search(urlsplit(self.url).path)
        if match:
            year, month, day = (int(part) for part in match.groups() if part)
            try:
                return datetime.datetime(year, month, day, tzinfo=SHANGHAI)
            except ValueError:
                pass
        from htmldate import find_date

        try:
            found = find_date(self.document, extensive_search=True, original_date=True, url=self.url)
        except Exception:  # htmldate reads anything; a failure there must not lose the page
            found = None
        if found:
            day = datetime.date.fromisoformat(found)
            return datetime.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
        return None


# -- helpers ---------------------------------------------------------------------------------------
def parse_datetime(text: str) -> datetime.datetime | None:
    """The first date (and time) in `text`: 2015年03月12日, 2015-3-12 10:20, 2015/03/12…"""
    match = DATE.search(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime.datetime(year, month, day, hour if hour < 24 else 0, minute if minute < 60 else 0,
                                 second if second < 60 else 0, tzinfo=SHANGHAI)
    except ValueError:
        return None


def _clean_value(key: str, value: str):
    value = _squash(value).strip(" ：:;；,，")
    if not value:
        return None
    if key in DATE_KEYS:
        parsed = parse_datetime(value)
        if parsed is None:
            return None
        return parsed if key == "publish_date" and (parsed.hour or parsed.minute) else parsed.date()
    if key == "validity":
        for state, words in VALIDITY:
            if any(word in value for word in words):
                return state
        return None
    return value


def _marked_chrome(element) -> bool:
    marks = f"{element.get('id') or ''} {element.get('class') or ''}"
    return bool(marks.strip()) and CHROME.search(marks) is not None and not CONTAINER.match(element.get("id") or "")


def _label_text(element) -> str:
    """The text of `element` for reading labels: runs of blanks stay two blanks, as they part the entries
    of an info line (发布时间：2015-03-12&nbsp;&nbsp;来源：县政府办&nbsp;&nbsp;打印本页)."""
    text = element.text_content() if isinstance(element.tag, str) else ""
    return BLANK_RUN.sub(lambda match: "  " if len(match.group()) > 1 else " ", text).strip()


def _own_text(element) -> int:
    """The length of the text of `element` outside its links."""
    return len(_text(element)) - sum(len(_text(anchor)) for anchor in element.iter("a"))


def _next_cell(element):
    """The element after a label cell that holds its value."""
    sibling = element.getnext()
    while sibling is not None and not _text(sibling):
        sibling = sibling.getnext()
    if sibling is not None:
        return None if LABEL.match(_text(sibling)) else sibling  # the next label: the value is empty
    parent = element.getparent()  # <li><span>索引号</span></li><li>…: no; <td><b>索引号</b></td><td>…
    if parent is not None and parent.tag in ("td", "th", "dt", "li", "span", "b", "strong"):
        return _next_cell(parent)
    return None


def _holder(element):
    """The table, list or box a metadata entry belongs to (what is cut out of the main text)."""
    current = element
    while current is not None:
        if current.tag in ("table", "ul", "ol", "dl"):
            return current
        parent = current.getparent()
        if current.tag == "div" and parent is not None and len(_text(current)) < 600:
            holder = current
            while parent is not None and parent.tag == "div" and len(_text(parent)) < 600 and \
                    len(parent) == 1:
                holder, parent = parent, parent.getparent()
            return holder
        current = parent
    return element


def _has_blocks(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in CONTAINING for child in element.iterdescendants())


def _contains(outer, inner) -> bool:
    parent = inner.getparent()
    while parent is not None:
        if parent is outer:
            return True
        parent = parent.getparent()
    return False


def _drop(element) -> None:
    """Remove `element` but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _text(element) -> str:
    if element is None:
        return ""
    return _squash(element.text_content()) if isinstance(element.tag, str) else ""


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", " ", text or "").strip()


def _lines(element) -> list[str]:
    """The text of `element` as its paragraphs (block elements and <br> break lines, cells are spaced)."""
    parts: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None or tag in SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block or tag == "br":
            parts.append("\n")
        elif tag in CELL_TAGS:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    lines = (re.sub(r"[ \t\r\f\v\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel=None, strip_comments=True).strip()


def _xml_to_html(main) -> str:
    """trafilatura's XML (p, head, list/item, table/row/cell, ref, graphic, hi, lb) as HTML."""
    names = {"p": "p", "list": "ul", "item": "li", "table": "table", "row": "tr", "lb": "br", "quote": "p",
             "code": "p"}
    out = []

    def walk(node):
        tag = node.tag
        attributes = ""
        if tag == "head":
            level = (node.get("rend") or "h2").lstrip("h")
            name = f"h{min(max(int(level) if level.isdigit() else 2, 2), 6)}"
        elif tag == "cell":
            name = "th" if node.get("role") == "head" else "td"
        elif tag == "hi":
            name = {"#b": "b", "#i": "i", "#u": "u"}.get(node.get("rend") or "", "b")
        elif tag == "ref":
            name, attributes = "a", f' href="{_attr(node.get("target") or "")}"'
        elif tag == "graphic":
            out.append(f'<img src="{_attr(node.get("src") or "")}" alt="{_attr(node.get("alt") or "")}">')
            out.append(_escape(node.tail or ""))
            return
        else:
            name = names.get(tag, "")
        if name:
            out.append(f"<{name}{attributes}>")
        out.append(_escape(node.text or ""))
        for child in node:
            walk(child)
        if name and name != "br":
            out.append(f"</{name}>")
        out.append(_escape(node.tail or ""))

    for child in main:
        walk(child)
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _strip_site(title: str) -> str:
    """'标题_某县人民政府' -> '标题'; '某县人民政府门户网站' stays."""
    parts = [part for part in TITLE_SEPARATOR.split(title) if part]
    kept = [part for part in parts if not SITE_SUFFIX.search(part)]
    return (kept or parts or [""])[0]


def _extension(url: str) -> str:
    path = urlsplit(url).path
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _column_of(url: str) -> str:
    """The old column of a page from its address: its directory without date segments
    (/zwgk/zcwj/2015/0312/c123.htm and /xwzx/gzdt/201503/t20150312_1.html -> the column's directory)."""
    path = urlsplit(url).path
    hanweb = HANWEB_ARTICLE.match(path)
    if hanweb:  # Hanweb: /art/2015/3/12/art_4521_123.html is an article of the column /col/col4521/
        return f"/col/col{hanweb.group(1)}/"
    segments = path.split("/")[1:-1]
    while segments and DATE_SEGMENT.match(segments[-1]):
        segments.pop()
    return "/" + "".join(segment + "/" for segment in segments)
