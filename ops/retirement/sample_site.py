"""A generated retired government site, the old portal of 某县人民政府, with its ground truth.

Tests and the migration benchmark crawl, extract and import it; `score` says how much
of the truth an extractor found. Everything is deterministic from (pages, seed). The
site has what old Chinese government CMSs (TRS WCM, Founder, Hanweb) left behind:
table layouts and <font>, list pages paginated as index_1.htm or ?page=2, the
government metadata table of 信息公开 pages in several shapes, pages in UTF-8, GBK,
GB2312 (declared, with GBK-only characters), GB18030 and Big5, declared truly, wrongly
or not at all, attachments, images, broken links, redirect chains, tracking parameters
and session ids in links, relative links, <base href> and a robots.txt."""
import datetime
import difflib
import functools
import html
import io
import posixpath
import random
import re
import socket
import struct
import sys
import threading
import zipfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlencode

SITE_NAME = "某县人民政府"
ROUTE_PARAMS = ("page",)  # the only query parameter that selects content; others are ignored like a CMS does


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # exactly as sent


@dataclass
class PageTruth:
    path: str  # canonical: what the crawler archives under base_url + path
    kind: str  # "article" | "policy" | "list" | "home"
    encoding: str  # what the bytes really are: "utf-8", "gbk", "gb2312", "gb18030", "big5"
    title: str
    pub_date: datetime.date | None
    # policies: index_number, issuing_organ, document_number, written_date, publish_date, topic, genre,
    # validity ("valid" | "amended" | "repealed"), those shown; articles: source, author when shown
    metadata: dict
    body_text: str  # the main text's paragraphs joined by "\n"
    column_path: str  # the old column, e.g. "/zwgk/zcwj/"
    column_name: str  # e.g. "政策文件"
    attachments: list[str] = field(default_factory=list)  # paths of the files linked from the page
    images: list[str] = field(default_factory=list)  # paths of the images in the main text
    # paths (canonical, tracking parameters and session ids removed) of this site's pages and redirects
    # linked from the main text; its dead links are not here
    links: list[str] = field(default_factory=list)


@dataclass
class SampleSite:
    responses: dict[str, Response]  # path (with its query where the route has one) -> what is sent; else 404
    truth: dict[str, PageTruth]  # the HTML pages (status 200) a crawler reaches from "/"
    redirects: dict[str, str]  # path -> Location (chains: /old/… 301 -> /web/… 302 -> the page)
    disallowed: list[str]  # path prefixes robots.txt disallows


# -- vocabulary (simplified text stays inside GB2312 unless a page asks for more) ----------
TOWNS = ["城关镇", "新集镇", "王店镇", "李庄乡", "石桥镇", "河口镇", "双河乡", "青山镇", "白塔镇", "东湖街道",
         "西城街道", "南岗乡", "柳林镇", "马集镇", "高庙乡", "三河镇", "杨湾乡", "桃园镇"]
DEPTS = {"县发展和改革委员会": "发改", "县教育局": "教", "县科技局": "科", "县公安局": "公", "县民政局": "民",
         "县司法局": "司", "县财政局": "财", "县人力资源和社会保障局": "人社", "县自然资源局": "自然资源",
         "县住房和城乡建设局": "建", "县交通运输局": "交", "县水利局": "水", "县农业农村局": "农",
         "县商务局": "商", "县文化旅游体育局": "文旅", "县卫生健康委员会": "卫健", "县应急管理局": "应急",
         "县审计局": "审", "县市场监督管理局": "市监", "县统计局": "统", "县医疗保障局": "医保", "县林业局": "林",
         "县城市管理局": "城管", "县数据资源管理局": "数据"}
DEPT_NAMES = list(DEPTS)
TOPICS = ["安全生产", "防汛抗旱", "乡村振兴", "环境整治", "招商引资", "重点项目建设", "森林防火", "食品安全",
          "文明创建", "优化营商环境", "河长制", "秸秆禁烧", "农村人居环境整治", "义务教育均衡发展", "医疗卫生服务",
          "农村公路建设", "就业创业", "社会救助", "信访维稳", "耕地保护", "农田水利建设", "电子商务进农村",
          "城乡供水一体化", "养老服务", "全民健身", "扶贫开发", "政务公开", "审计监督", "消防安全", "民生工程"]
LATE_TOPICS = {"扫黑除恶专项斗争": 2018, "疫情防控": 2020, "营商环境提升": 2019, "垃圾分类": 2019}
TOPICS_BY_YEAR = {year: TOPICS + [topic for topic, since in LATE_TOPICS.items() if year >= since]
                  for year in range(2008, 2023)}
LEADERS = ["张建华", "李明", "王晓东", "刘卫国", "陈志强", "杨光", "赵文斌", "黄海涛", "周静", "吴振宇", "徐立新",
           "孙丽", "马俊", "朱永红", "胡晓峰", "郭建军", "何平", "林涛"]
GBK_ONLY_NAMES = ["王喆", "李镕", "陈喆", "周镕"]  # 喆 and 镕 are in GBK, not in GB2312
ROLES = ["县委书记", "县长", "县委副书记", "常务副县长", "副县长", "县人大常委会主任", "县政协主席"]
PLACES = ["项目建设现场", "农村饮水安全工程", "敬老院", "中心学校", "卫生院", "产业园区", "防汛物资仓库", "便民服务中心"]
SOURCES = ["县政府办", "县融媒体中心", "某县日报"]
TOPIC_CLASSES = ["综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "城乡建设、环境保护", "农业、林业、水利",
                 "教育", "卫生、体育", "劳动、人事、监察", "民政、扶贫、救灾", "工业、交通", "商贸、海关、旅游",
                 "公安、安全、司法", "科技", "文化、广电、新闻出版"]
VALIDITY = {"valid": ["有效", "现行有效"], "amended": ["已修改", "已修订"], "repealed": ["废止", "失效", "已废止"]}
ATTACHMENT_NAMES = ["工作任务分解表", "报名登记表", "申报材料清单", "项目汇总表", "考核评分细则", "名单", "实施细则",
                    "统计报表", "情况调查表", "政策解读"]

SENTENCES = [
    "{date}，{role}{leader}带领{dept}等部门负责同志，深入{town}调研{topic}工作。",
    "为深入贯彻落实上级关于{topic}的决策部署，{date}，{dept}召开全县{topic}工作推进会。",
    "会议指出，{topic}工作事关全县经济社会发展大局，事关人民群众切身利益，各单位要进一步提高思想认识，"
    "切实增强责任感和紧迫感。",
    "会议要求，一要强化组织领导，压紧压实工作责任；二要突出工作重点，集中力量攻坚克难；三要加强督查考核，"
    "确保各项任务落到实处。",
    "{leader}强调，要坚持问题导向，聚焦{topic}中的薄弱环节，建立健全长效机制，推动工作取得更大成效。",
    "截至{month}月底，全县累计完成{topic}相关投资{num}亿元，同比增长{pct}%，完成年度目标任务的{pct2}%。",
    "{town}结合自身实际，制定了详细的工作方案，明确时间表和路线图，组织干部群众{n}余人次开展{topic}专项行动。",
    "下一步，{dept}将继续加大工作力度，创新工作举措，为建设{adj}某县作出新的更大贡献。",
    "在{town}，{leader}一行实地察看了{place}，详细了解项目进展、资金使用和群众受益等情况。",
    "据了解，今年以来，我县共排查各类隐患{n}处，已整改{n2}处，整改率达{pct}%。",
    "{dept}有关负责同志，各乡镇（街道）分管负责同志参加会议。",
    "活动现场，工作人员通过发放宣传资料、设置咨询台等方式，向过往群众宣传{topic}相关知识，共发放宣传资料{n}余份，"
    "接受群众咨询{n2}人次。",
    "近年来，{town}坚持把{topic}作为重要民生工程来抓，累计投入资金{num}万元，惠及群众{n}余户。",
    "{dept}相关负责人表示，将以此次活动为契机，进一步完善{topic}工作机制，不断提升群众的获得感、幸福感、安全感。",
]
ADJS = ["美丽", "幸福", "活力", "现代化", "生态宜居"]
ARTICLE_TITLES = [
    "{town}召开{topic}工作推进会", "{role}{leader}到{town}调研{topic}工作", "我县{year}年{topic}工作取得新成效",
    "{dept}扎实开展{topic}专项行动", "{town}多措并举推进{topic}", "全县{topic}工作会议召开",
    "{dept}召开{topic}工作专题会议", "{town}：{topic}让群众得实惠", "我县启动{topic}宣传月活动",
    "{dept}举办{year}年{topic}业务培训班", "{role}{leader}督查{town}{topic}工作", "{town}{year}年{topic}工作综述",
]
NOTICE_TITLES = [
    "关于做好{year}年{topic}工作的通知", "{dept}{year}年公开招聘工作人员公告", "关于{town}{topic}项目的公示",
    "关于开展{year}年度{topic}检查的通知", "{dept}关于{topic}有关事项的公告", "关于征求{topic}意见建议的公告",
]
PERSONNEL_TITLES = [
    "{dept}{year}年公开选调工作人员公告", "{year}年某县{topic}岗位招聘拟聘用人员名单公示",
    "{dept}干部任前公示（{year}年第{n}号）", "关于{year}年{topic}岗位人员考察的公示",
]
POLICY_TITLES = [
    ("{organ}关于印发《某县{topic}实施方案》的通知", "通知"), ("{organ}关于进一步加强{topic}工作的意见", "意见"),
    ("某县{topic}管理暂行办法", "办法"), ("{organ}关于表彰{year}年度{topic}先进集体和先进个人的决定", "决定"),
    ("{organ}关于{topic}有关事项的通告", "通告"), ("{organ}关于同意{town}{topic}实施方案的批复", "批复"),
    ("{organ}关于印发某县{year}年{topic}工作要点的通知", "通知"), ("{organ}关于加快推进{topic}的实施意见", "意见"),
    ("关于印发《某县{year}年{topic}考核办法》的通知", "通知"),
]
ORGANS = ["某县人民政府", "某县人民政府办公室"] + ["某" + name for name in DEPTS]
POLICY_PARAGRAPHS = [
    "为进一步加强{topic}工作，根据有关法律法规和上级文件精神，结合我县实际，现提出如下要求。",
    "一、总体要求。坚持以人民为中心的发展思想，围绕{topic}目标任务，统筹推进，分类施策，确保取得实效。",
    "二、主要任务。（一）完善工作机制，明确部门职责分工；（二）加大资金投入，县财政每年安排专项资金{num}万元；"
    "（三）强化监督检查，建立定期通报制度。",
    "三、保障措施。各乡镇人民政府、县直各有关部门要高度重视，加强组织领导，落实工作责任，形成工作合力。",
    "四、工作要求。各单位要于每年{month}月底前将工作开展情况报送{dept}。",
]

# -- the same in traditional characters, for the Big5 pages of the 繁體版 column -------------
TOWNS_T = ["城關鎮", "新集鎮", "王店鎮", "李莊鄉", "石橋鎮", "河口鎮", "雙河鄉", "青山鎮"]
DEPTS_T = ["縣發展和改革委員會", "縣教育局", "縣財政局", "縣農業農村局", "縣水利局", "縣衛生健康委員會", "縣交通運輸局",
           "縣應急管理局"]
TOPICS_T = ["安全生產", "防汛抗旱", "鄉村振興", "環境整治", "招商引資", "項目建設", "森林防火", "食品安全", "文明創建",
            "優化營商環境", "秸稈禁燒", "農村人居環境整治", "教育發展", "醫療衛生", "交通建設", "對臺交流"]
LEADERS_T = ["張建華", "李明", "王曉東", "劉衛國", "陳志強", "楊光", "趙文斌", "黃海濤"]
ROLES_T = ["縣委書記", "縣長", "副縣長", "常務副縣長"]
SENTENCES_T = [
    "{date}，{role}{leader}帶領{dept}等部門負責同志，深入{town}調研{topic}工作。",
    "會議指出，{topic}工作事關全縣經濟社會發展大局，事關人民群眾切身利益，各單位要進一步提高思想認識。",
    "會議要求，一要強化組織領導，壓緊壓實工作責任；二要突出工作重點，集中力量攻堅克難；三要加強督查考核，"
    "確保各項任務落到實處。",
    "{leader}強調，要堅持問題導向，聚焦{topic}中的薄弱環節，建立健全長效機制，推動工作取得更大成效。",
    "截至{month}月底，全縣累計完成{topic}相關投資{num}億元，同比增長{pct}%。",
    "下一步，{dept}將繼續加大工作力度，創新工作舉措，為建設美麗某縣作出新的更大貢獻。",
    "據了解，今年以來，{town}共排查各類隱患{n}處，已整改{n2}處，整改率達{pct}%。",
]
TITLES_T = ["{town}召開{topic}工作推進會", "{role}{leader}到{town}調研{topic}工作", "我縣{year}年{topic}工作取得新成效",
            "{dept}紮實開展{topic}專項行動", "{town}多措並舉推進{topic}"]

CHROME = {
    False: dict(home="首页", zwgk="政务公开", xwzx="新闻中心", ftb="繁体版", search="站内搜索", login="管理登录",
                hdjl="互动交流", position="当前位置：", hot="热点信息", related="相关链接", tools="【打印本页】【关闭窗口】",
                font="【字体：<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> "
                     "<a href=\"javascript:doZoom(12)\">小</a>】",
                footer="版权所有：某县人民政府　主办：某县人民政府办公室　备案号：皖ICP备05001234号<br>"
                       "地址：某县人民路88号　联系电话：0551-12345678　技术支持：某某网络科技有限公司",
                published="发布时间", source="来源", author="作者", views="浏览次数", site=SITE_NAME,
                pages="共{n}页", first="首页", prev="上一页", next="下一页", last="尾页", top="返回顶部",
                contact="联系我们"),
    True: dict(home="首頁", zwgk="政務公開", xwzx="新聞中心", ftb="繁體版", search="站內搜索", login="管理登錄",
               hdjl="互動交流", position="當前位置：", hot="熱點信息", related="相關鏈接", tools="【打印本頁】【關閉窗口】",
               font="【字體：大 中 小】",
               footer="版權所有：某縣人民政府　主辦：某縣人民政府辦公室　備案號：皖ICP備05001234號<br>"
                      "地址：某縣人民路88號　聯繫電話：0551-12345678",
               published="發布時間", source="來源", author="作者", views="瀏覽次數", site="某縣人民政府",
               pages="共{n}頁", first="首頁", prev="上一頁", next="下一頁", last="尾頁", top="返回頂部",
               contact="聯繫我們"),
}
TRADITIONAL = {"规范性文件": "規範性文件", "工作动态": "工作動態", "部门动态": "部門動態", "乡镇动态": "鄉鎮動態"}
EXTERNAL_LINKS = [("http://www.gov.cn/", "中国政府网"), ("http://www.ah.gov.cn/", "省人民政府"),
                  ("https://www.example.gov.cn/", "市人民政府")]


@dataclass(frozen=True)
class Column:
    path: str
    name: str
    parent: str
    parent_path: str
    kind: str  # "article" | "policy"
    # "trs": 201503/t20150312_123.html; "founder": 2015/0312/c123.htm; "hanweb": /art/2015/3/12/art_4521_123.html
    url_style: str
    paging: str  # "static": index.htm, index_1.htm…; "query": index.html, index.html?page=2…
    weight: int
    per_page: int = 20
    big5: bool = False
    titles: tuple = ()

    def list_path(self, number: int) -> str:
        """Page `number` (0-based) of the column's list."""
        if self.paging == "query":
            return f"{self.path}index.html" + (f"?page={number + 1}" if number else "")
        suffix = "html" if self.url_style == "trs" else "htm"
        return f"{self.path}index.{suffix}" if number == 0 else f"{self.path}index_{number}.{suffix}"


COLUMNS = [
    Column("/zwgk/zcwj/", "政策文件", "政务公开", "/zwgk/", "policy", "founder", "static", 14),
    Column("/zwgk/gfxwj/", "规范性文件", "政务公开", "/zwgk/", "policy", "trs", "static", 8),
    Column("/col/col4521/", "通知公告", "政务公开", "/zwgk/", "article", "hanweb", "query", 12, per_page=15,
           titles=tuple(NOTICE_TITLES)),
    Column("/xwzx/gzdt/", "工作动态", "新闻中心", "/xwzx/", "article", "trs", "static", 24, titles=tuple(ARTICLE_TITLES)),
    Column("/xwzx/bmdt/", "部门动态", "新闻中心", "/xwzx/", "article", "founder", "static", 15,
           titles=tuple(ARTICLE_TITLES)),
    Column("/xwzx/xzdt/", "乡镇动态", "新闻中心", "/xwzx/", "article", "trs", "static", 13, titles=tuple(ARTICLE_TITLES)),
    Column("/zwgk/rsxx/", "人事信息", "政务公开", "/zwgk/", "article", "founder", "static", 7,
           titles=tuple(PERSONNEL_TITLES)),
    Column("/ftb/ywdt/", "要聞動態", "繁體版", "/ftb/", "article", "trs", "static", 4, big5=True,
           titles=tuple(TITLES_T)),
]

# How a page's bytes are made and declared: (real encoding, Content-Type header, <meta> in <head>).
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
ENCODINGS = {
    "utf8": ("utf-8", "text/html; charset=utf-8",
             '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'),
    "gbk-meta": ("gbk", "text/html", '<meta charset="gbk">'),
    "gb2312": ("gb2312", "text/html", META_GB2312),
    "gb2312-gbk": ("gbk", "text/html", META_GB2312),  # declared gb2312, uses GBK-only characters
    "gbk-bare": ("gbk", "text/html", ""),  # declared nowhere
    "utf8-lie": ("gbk", "text/html; charset=UTF-8", ""),  # the server claims UTF-8
    "gb18030": ("gb18030", "text/html; charset=GB18030", '<meta charset="gb18030">'),
    "big5": ("big5", "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=big5">'),
}
ENCODING_WEIGHTS = {"utf8": 40, "gbk-meta": 18, "gb2312": 12, "gb2312-gbk": 8, "gbk-bare": 8, "utf8-lie": 6,
                    "gb18030": 8}
META_STYLES = ["table-colon", "table-colon-half", "table-next-th", "table-next-td", "table-colon-spaced"]
DATE_STYLES = ["dash-time", "cn", "slash", "dash-seconds", "dash"]
ATTACHMENT_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "wps": "application/kswps", "zip": "application/zip"}
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /search/\n"
START, END = datetime.date(2008, 1, 1), datetime.date(2022, 12, 31)


@dataclass(eq=False)
class _Item:
    """One article or policy page, planned before any page is rendered (bodies link to each other)."""
    number: int
    column: Column
    path: str
    when: datetime.datetime
    title: str = ""
    encoding: str = "utf8"
    features: set = field(default_factory=set)
    slots: dict = field(default_factory=dict)
    genre: str = ""
    organ: str = ""


def generate(pages: int, seed: int = 0) -> SampleSite:
    """A site of about `pages` article and policy pages, plus home, list pages, files and redirects."""
    return _Builder(pages, seed).build()


class _Builder:
    def __init__(self, pages: int, seed: int):
        self.rng = random.Random(seed)
        self.pages = max(pages, len(COLUMNS))
        self.responses: dict[str, Response] = {}
        self.truth: dict[str, PageTruth] = {}
        self.redirects: dict[str, str] = {}
        self.titles: set[str] = set()
        self.items: list[_Item] = []
        self.by_column: dict[str, list[_Item]] = {}
        self.broken = 0
        self.sidebars: dict[bool, list[str]] = {}
        self.chains: dict[str, str] = {}  # old address -> the page it leads to

    def build(self) -> SampleSite:
        self._plan()
        self._static_files()
        for item in self.items:
            self._render_item(item)
        for column in COLUMNS:
            self._render_lists(column)
        self._render_home()
        self._redirect_chains()
        return SampleSite(responses=self.responses, truth=self.truth, redirects=self.redirects,
                          disallowed=["/admin/", "/search/"])

    # -- planning ------------------------------------------------------------------------------
    def _plan(self) -> None:
        rng = self.rng
        total = sum(column.weight for column in COLUMNS)
        counts = [max(1, self.pages * column.weight // total) for column in COLUMNS]
        counts[3] += self.pages - sum(counts)  # the rest to 工作动态
        number = 1000 + rng.randrange(9000)
        days = (END - START).days
        for column, count in zip(COLUMNS, counts):
            for _index in range(count):
                number += self._int(1, 40)
                day = START + datetime.timedelta(days=self._int(0, days + 1))
                when = datetime.datetime(day.year, day.month, day.day, self._int(8, 19), self._int(0, 60),
                                         self._int(0, 60))
                item = _Item(number=number, column=column, path=_item_path(column, number, when), when=when)
                self.items.append(item)
                self.by_column.setdefault(column.path, []).append(item)
        self.by_path = {item.path: item for item in self.items}
        for item in self.items:
            self._name(item)
        self.big5_items = [item for item in self.items if item.column.big5]
        self.simplified_items = [item for item in self.items if not item.column.big5]
        simplified = list(self.simplified_items)
        rng.shuffle(simplified)
        # Every case the tests look for exists at least once, then chance decides.
        names, weights = list(ENCODING_WEIGHTS), list(ENCODING_WEIGHTS.values())
        for index, item in enumerate(simplified):
            item.encoding = names[index] if index < len(names) else rng.choices(names, weights)[0]
        for item in self.items:
            if item.column.big5:
                item.encoding = "big5"
        self._features(simplified)

    def _features(self, simplified: list[_Item]) -> None:
        rng = self.rng
        articles = [item for item in simplified if item.column.kind == "article"]
        policies = [item for item in simplified if item.column.kind == "policy"]
        # date-meta: the date only in <meta name="PubDate">; date-url: only in the address; plain: the main
        # text in an unmarked table cell; inside: the info line (or the metadata) inside the main text's box.
        forced = {"base": 2, "broken": 2, "redirect-link": 3, "tracking": 4, "related": 6, "attachments": 7,
                  "images": 3, "meta-pubdate": 3, "no-breadcrumb": 1, "date-meta": 1, "date-url": 1, "plain": 3,
                  "inside": 2}
        chances = {"base": 0.04, "broken": 0.05, "redirect-link": 0.04, "tracking": 0.1, "related": 0.3,
                   "attachments": 0.15, "images": 0.25, "meta-pubdate": 0.4, "no-breadcrumb": 0.08,
                   "date-meta": 0.02, "date-url": 0.01, "plain": 0.1, "inside": 0.1}
        for name, count in forced.items():
            pool = list(articles)
            rng.shuffle(pool)
            for index, item in enumerate(pool):
                if index < count or rng.random() < chances[name]:
                    item.features.add(name)
        for index, item in enumerate(policies):
            if index < 3 or rng.random() < 0.4:
                item.features.add("attachments")
            if index in (3, 4) or rng.random() < 0.1:
                item.features.add(rng.choice(["plain", "inside"]))
            if index < 2 or rng.random() < 0.15:
                item.features.add("related")
        for item in self.items:
            if item.column.big5 and rng.random() < 0.3:
                item.features.add("related")

    # -- text ----------------------------------------------------------------------------------
    def _int(self, low: int, high: int) -> int:
        """low <= n < high; cheaper than randrange, which the generator calls a hundred thousand times."""
        return low + int(self.rng.random() * (high - low))

    def _slots(self, when: datetime.datetime, big5: bool) -> dict:
        pick, number = self.rng.choice, self._int
        if big5:
            return dict(town=pick(TOWNS_T), dept=pick(DEPTS_T), topic=pick(TOPICS_T), leader=pick(LEADERS_T),
                        role=pick(ROLES_T), year=when.year, date=f"{when.month}月{when.day}日", month=number(1, 13),
                        num=number(2, 60), pct=number(3, 30), n=number(20, 900), n2=number(10, 20))
        return dict(town=pick(TOWNS), dept=pick(DEPT_NAMES), topic=pick(TOPICS_BY_YEAR[when.year]),
                    leader=pick(LEADERS), role=pick(ROLES), year=when.year, adj=pick(ADJS), place=pick(PLACES),
                    date=f"{when.month}月{when.day}日", month=number(1, 13), num=number(2, 900), pct=number(3, 30),
                    pct2=number(60, 100), n=number(20, 900), n2=number(10, 20))

    def _name(self, item: _Item) -> None:
        """The item's title (unique on the site) and the words its text is made of."""
        rng, when, big5 = self.rng, item.when, item.column.big5
        if item.column.kind == "policy":
            template, item.genre = rng.choice(POLICY_TITLES)
            templates = [template]
        else:
            templates = list(item.column.titles)
        for _attempt in range(30):
            slots = self._slots(when, big5)
            if item.column.kind == "policy":
                slots["organ"] = rng.choice(ORGANS)
            title = rng.choice(templates).format(**slots)
            if title not in self.titles:
                break
        else:
            title = f"{title}（{when.month}月{when.day}日）"
            while title in self.titles:
                title += "（续）"
        item.organ = slots.get("organ", "")
        self.titles.add(title)
        item.title, item.slots = title, slots

    def _sentences(self, templates, slots: dict, count: int) -> list[str]:
        rng = self.rng
        chosen = [templates[0] if rng.random() < 0.5 else templates[1]] + rng.sample(templates[2:], count - 1)
        texts = []
        for template in chosen:
            slots = dict(slots, month=self._int(1, 13), num=self._int(2, 900), n=self._int(20, 900),
                         pct=self._int(3, 30))
            texts.append(template.format(**slots))
        return texts

    # -- pages ---------------------------------------------------------------------------------
    def _render_item(self, item: _Item) -> None:
        rng, column = self.rng, item.column
        big5 = column.big5
        slots, title = item.slots, item.title
        metadata, meta_html = {}, ""
        if column.kind == "policy":
            metadata, meta_html = self._policy_metadata(item, item.organ, item.genre, title)
            paragraphs = self._policy_body(item, slots, item.organ, metadata)
        else:
            paragraphs = [("text", text) for text in self._body_sentences(item, slots, big5)]
        attachments, images, links = [], [], []
        page_dir = posixpath.dirname(item.path) + "/"
        base = column.path if "base" in item.features else None
        link_dir = base or page_dir
        if "images" in item.features:
            for index in range(rng.randrange(1, 3)):
                ext = ["jpg", "png", "gif"][(item.number + index) % 3]
                path = self._image(item, index, ext)
                images.append(path)
                paragraphs.insert(min(len(paragraphs), 1 + index * 2),
                                  ("image", _relative(path, link_dir, rng), slots["topic"]))
        if "related" in item.features or "tracking" in item.features or "redirect-link" in item.features:
            others = self.by_column[column.path]
            chosen = {others[self._int(0, len(others))] for _ in range(rng.randrange(1, 3))} - {item}
            for other in sorted(chosen, key=lambda other: other.number):
                href = _relative(other.path, link_dir, rng)
                if "tracking" in item.features:
                    href = rng.choice([f"{href}?utm_source=wechat&spm=a2c4g.11186623",
                                       f"{href};jsessionid=A1B2C3D4E5F6", f"{href}?from=timeline"])
                links.append(other.path)
                paragraphs.append(("link", href, other))
            if "tracking" in item.features and links:  # the same page again, plainly
                paragraphs.append(("link", links[-1], self._item_at(links[-1])))
        if "redirect-link" in item.features:  # the old address of another page, which redirects twice
            old = f"/old/news_{item.number}.htm"
            self.chains[old] = self.by_column[column.path][self._int(0, len(self.by_column[column.path]))].path
            links.append(old)
            paragraphs.append(("link", old, None))
        if "broken" in item.features:
            self.broken += 1
            missing = f"{column.path}200901/t20090105_{90000 + self.broken}.html"
            paragraphs.append(("broken", missing, "往期回顾"))
        outside = []
        if "attachments" in item.features:
            for index in range(rng.randrange(1, 4)):
                ext = list(ATTACHMENT_TYPES)[(item.number + index) % len(ATTACHMENT_TYPES)]
                path, name = self._attachment(item, index, ext, slots)
                attachments.append(path)
                entry = ("attach", _relative(path, link_dir, rng), f"{name}.{ext}", index)
                (outside if column.kind == "policy" and item.number % 2 else paragraphs).append(entry)
        if item.encoding == "gb2312-gbk":
            name = GBK_ONLY_NAMES[item.number % 4]
            paragraphs.insert(len(paragraphs) if column.kind == "policy" else 1, ("text", (
                f"联系人：{name}，联系电话：0551-{item.number:07d}。" if column.kind == "policy" else
                f"副县长{name}出席会议并讲话，对下一阶段{slots['topic']}工作作出具体部署。")))
        if item.encoding == "gb18030":
            paragraphs.insert(1, ("text", "群众代表刘䶮、张㐀在座谈会上发言，对相关工作给予充分肯定。"))
        if column.kind == "article":
            metadata.update(self._article_metadata(item, big5))
        body_html, body_text = _body(paragraphs, rng, big5)
        kind = column.kind
        published = item.when.date() if kind == "article" else metadata["publish_date"]
        info = "" if kind == "policy" else self._info_line(item, metadata, big5)
        attach_html = "".join(f'<p><a href="{html.escape(href)}">{html.escape(name)}</a></p>'
                              for _tag, href, name, _index in outside)
        if attach_html:
            attach_html = f'<div class="fujian"><b>相关附件：</b>{attach_html}</div>'
        head = []
        if rng.random() < 0.3 and not big5:
            head.append(f'<meta name="ArticleTitle" content="{html.escape(title)}">')
        if "meta-pubdate" in item.features or "date-meta" in item.features:
            head.append(f'<meta name="PubDate" content="{item.when:%Y-%m-%d %H:%M}">')
        if "source" in metadata:
            head.append(f'<meta name="ContentSource" content="{html.escape(metadata["source"])}">')
        if base:
            head.append(f'<base href="{base}">')
        main = _article_main(title, info, meta_html, body_html, attach_html, rng, big5, item.features)
        document = _page(item.encoding, _title_tag(title, column, rng, big5), head,
                         None if "no-breadcrumb" in item.features else column, main, self._sidebar(item, big5), big5)
        if item.encoding == "gb2312" and rng.random() < 0.25:  # XHTML pages of the TRS era
            document = '<?xml version="1.0" encoding="gb2312"?>\n' + document
        encoding = self._store_html(item.path, document, item.encoding)
        self.truth[item.path] = PageTruth(
            path=item.path, kind=kind, encoding=encoding, title=title, pub_date=published, metadata=metadata,
            body_text=body_text, column_path=column.path, column_name=column.name, attachments=attachments,
            images=images, links=links)

    def _item_at(self, path: str) -> _Item:
        return self.by_path[path]

    def _body_sentences(self, item: _Item, slots: dict, big5: bool) -> list[str]:
        templates = SENTENCES_T if big5 else SENTENCES
        sentences = self._sentences(templates, slots, self.rng.randrange(3, 7))
        # Two sentences make one paragraph now and then, as editors wrote them.
        paragraphs, index = [], 0
        while index < len(sentences):
            take = 2 if self.rng.random() < 0.3 and index + 1 < len(sentences) else 1
            paragraphs.append("".join(sentences[index:index + take]))
            index += take
        return paragraphs

    def _article_metadata(self, item: _Item, big5: bool) -> dict:
        rng, metadata = self.rng, {}
        if rng.random() < 0.8:
            metadata["source"] = (rng.choice(DEPTS_T) if big5 else
                                  rng.choice(SOURCES + list(DEPTS)[:8] + TOWNS[:4]))
        if rng.random() < 0.5 or item.encoding == "gb2312-gbk":
            if item.encoding == "gb2312-gbk":
                metadata["author"] = GBK_ONLY_NAMES[item.number % 4]
            else:
                metadata["author"] = rng.choice(LEADERS_T if big5 else LEADERS)
        return metadata

    def _info_line(self, item: _Item, metadata: dict, big5: bool) -> str:
        labels, when = CHROME[big5], item.when
        style = DATE_STYLES[item.number % len(DATE_STYLES)]
        if "date-meta" in item.features or "date-url" in item.features:
            style = "none"
        shown = {"dash-time": f"{labels['published']}：{when:%Y-%m-%d %H:%M}",
                 "cn": f"发布日期：{when.year}年{when.month:02d}月{when.day:02d}日",
                 "slash": f"日期：{when.year}/{when.month}/{when.day}",
                 "dash-seconds": f"{labels['published']}：{when:%Y-%m-%d %H:%M:%S}",
                 "dash": f"{labels['published']}:{when:%Y-%m-%d}", "none": ""}[style if not big5 else "dash-time"]
        parts = [shown] if shown else []
        if "source" in metadata:
            parts.append(f"{labels['source']}：{metadata['source']}")
        if "author" in metadata:
            parts.append(f"{labels['author']}：{metadata['author']}")
        parts.append(f"{labels['views']}：<script>document.write(Math.round(Math.random()*500))</script>")
        return f'<div class="info">{"　　".join(parts)}　{labels["font"]}</div>'

    def _policy_metadata(self, item: _Item, organ: str, genre: str, title: str) -> tuple[dict, str]:
        rng = self.rng
        published = item.when.date()
        written = published - datetime.timedelta(days=rng.randrange(0, 12))
        abbreviation = "政" if organ == SITE_NAME else "政办" if organ.endswith("办公室") else DEPTS[organ[1:]]
        validity = rng.choice(["valid"] * 6 + ["amended", "repealed", "repealed"])
        metadata = {"index_number": f"0031{rng.randrange(10000, 99999)}/{published.year}-{rng.randrange(1, 999):05d}",
                    "issuing_organ": organ,
                    "document_number": f"某{abbreviation}〔{written.year}〕{rng.randrange(1, 150)}号",
                    "written_date": written, "publish_date": published, "topic": rng.choice(TOPIC_CLASSES),
                    "genre": genre, "validity": validity}
        if rng.random() < 0.15:
            del metadata["genre"]
        if rng.random() < 0.1:
            del metadata["validity"]
        date_style = rng.choice(["cn", "dash", "dash-short", "slash"])
        shown = {key: (_show_date(value, date_style) if isinstance(value, datetime.date) else value)
                 for key, value in metadata.items()}
        if "validity" in shown:
            shown["validity"] = rng.choice(VALIDITY[metadata["validity"]])
        organ_label = rng.choice(["发布机构", "发文机关"])
        labels = {"index_number": "索引号", "topic": "主题分类", "issuing_organ": organ_label, "written_date": "成文日期",
                  "document_number": "发文字号", "publish_date": "发布日期", "genre": "体裁分类", "validity": "有效性"}
        rows = [(labels[key], shown[key]) for key in labels if key in shown]
        if rng.random() < 0.5:
            rows.insert(rng.randrange(len(rows)), ("名称", title))  # some tables repeat the title
        style = "list" if item.column.url_style == "trs" else META_STYLES[item.number % len(META_STYLES)]
        return metadata, _metadata_block(rows, style)

    def _policy_body(self, item: _Item, slots: dict, organ: str, metadata: dict) -> list:
        rng = self.rng
        texts = ["各乡镇人民政府、街道办事处，县政府各部门、各直属机构："]
        if metadata.get("genre") == "通知":
            texts.append(f"现将有关事项通知如下，请认真贯彻执行。经县政府第{rng.randrange(1, 90)}次常务会议研究同意。")
        texts += [template.format(**dict(slots, num=rng.randrange(50, 900), month=rng.randrange(1, 13)))
                  for template in POLICY_PARAGRAPHS[:rng.randrange(3, 6)]]
        written = metadata["written_date"]
        paragraphs = [("text", text) for text in texts]
        paragraphs += [("sign", organ), ("sign", f"{written.year}年{written.month}月{written.day}日")]
        return paragraphs

    def _sidebar(self, item: _Item | None, big5: bool) -> str:
        """One of a few dozen sidebars per script (making one per page is a third of the generation time)."""
        pool = self.sidebars.setdefault(big5, [])
        if len(pool) < 40:
            pool.append(self._make_sidebar(big5))
            return pool[-1]
        return pool[self._int(0, len(pool))]

    def _make_sidebar(self, big5: bool) -> str:
        labels, rng = CHROME[big5], self.rng
        # Titles in the page's own script: a Big5 page cannot carry simplified characters.
        pool = self.big5_items if big5 else self.simplified_items
        hot = rng.sample(pool, min(5, len(pool)))
        entries = []
        for other in hot:
            href = other.path + (";jsessionid=8F3A2B1C0D" if rng.random() < 0.3 else "")
            entries.append(f'<li><a href="{href}" title="{html.escape(other.title or "")}">'
                           f'{html.escape(_short(other.title or other.column.name))}</a></li>')
        external = "".join(f'<li><a href="{url}" target="_blank">{"中國政府網" if big5 and index == 0 else name}</a></li>'
                           for index, (url, name) in enumerate(EXTERNAL_LINKS))
        return (f'<div class="side"><div class="side-title">{labels["hot"]}</div><ul>{"".join(entries)}</ul>'
                f'<div class="side-title">{labels["related"]}</div><ul>{external}</ul></div>')

    def _render_lists(self, column: Column) -> None:
        items = sorted(self.by_column[column.path], key=lambda item: (item.when, item.number), reverse=True)
        count = max(1, -(-len(items) // column.per_page))
        labels, rng = CHROME[column.big5], self.rng
        encoding = "big5" if column.big5 else rng.choice(["utf8", "gbk-meta", "gb2312"])
        for number in range(count):
            path = column.list_path(number)
            rows = []
            for item in items[number * column.per_page:(number + 1) * column.per_page]:
                href = _relative(item.path, posixpath.dirname(path.split("?")[0]) + "/", rng)
                rows.append(f'<li><span class="date">{item.when:%Y-%m-%d}</span><a href="{html.escape(href)}" '
                            f'target="_blank" title="{html.escape(item.title)}">{html.escape(_short(item.title))}'
                            '</a></li>')
            pager = _pager(column, number, count, labels)
            main = (f'<table width="100%" class="list"><tr><td class="list-title">{html.escape(column.name)}</td></tr>'
                    f'<tr><td><ul class="list-ul">{"".join(rows)}</ul></td></tr>'
                    f'<tr><td align="center">{pager}</td></tr>'
                    f'</table>')
            title_tag = f"{column.name}_{labels['site']}"
            document = _page(encoding, title_tag, [], column, main, self._sidebar(None, column.big5), column.big5)
            real = self._store_html(path, document, encoding)
            self.truth[path] = PageTruth(path=path, kind="list", encoding=real, title=column.name, pub_date=None,
                                         metadata={}, body_text="", column_path=column.path, column_name=column.name)

    def _render_home(self) -> None:
        blocks = []
        for column in COLUMNS:
            latest = sorted(self.by_column[column.path], key=lambda item: (item.when, item.number), reverse=True)[:6]
            rows = "".join(f'<li><a href="{item.path}" target="_blank">{html.escape(_short(item.title))}</a>'
                           f'<span>{item.when:%m-%d}</span></li>' for item in latest)
            blocks.append(f'<td valign="top" width="50%"><div class="home-col"><div class="home-col-title">'
                          f'<a href="{column.list_path(0)}">{html.escape(column.name)}</a>'
                          f'<a class="more" href="{column.list_path(0)}">更多&gt;&gt;</a></div>'
                          f'<ul>{rows}</ul></div></td>')
        table_rows = "".join(f"<tr>{''.join(blocks[index:index + 2])}</tr>" for index in range(0, len(blocks), 2))
        main = (f'<table width="100%">{table_rows}</table><div class="oldsite"><a href="/old/index.htm">旧版网站入口</a>'
                f'</div>')
        document = _page("gbk-meta", f"{SITE_NAME}门户网站", ['<meta name="keywords" content="某县,人民政府,政务公开">'],
                         None, main, self._sidebar(None, False), False)
        real = self._store_html("/", document, "gbk-meta")
        self.truth["/"] = PageTruth(path="/", kind="home", encoding=real, title=f"{SITE_NAME}门户网站", pub_date=None,
                                    metadata={}, body_text="", column_path="/", column_name="")

    def _redirect_chains(self) -> None:
        """An old URL answers 301 to an intermediate one that answers 302 to the page (relative Location)."""
        for old, target in self.chains.items():
            middle = old.replace("/old/", "/web/", 1)
            self._redirect(old, middle, 301)
            self._redirect(middle, _relative(target, "/web/", None), 302)
        self._redirect("/old/index.htm", "/index.htm", 301)
        self._redirect("/index.htm", "/", 302)
        for parent, first in {"/zwgk/": COLUMNS[0], "/xwzx/": COLUMNS[3], "/ftb/": COLUMNS[7]}.items():
            self._redirect(parent, first.list_path(0), 302)

    def _redirect(self, path: str, location: str, status: int) -> None:
        body = (f'<html><head><title>{status} Moved</title></head><body><a href="{html.escape(location)}">'
                f'here</a></body></html>').encode()
        self.redirects[path] = location
        self.responses[path] = Response(status, [("Location", location), ("Content-Type", "text/html"),
                                                 ("Content-Length", str(len(body)))], body)

    # -- files -----------------------------------------------------------------------------------
    def _store_html(self, path: str, document: str, variant: str) -> str:
        encoding, content_type, _meta = ENCODINGS[variant]
        try:
            body = document.encode(encoding)
        except UnicodeEncodeError:
            if encoding != "gb2312":
                raise
            encoding, body = "gbk", document.encode("gbk")  # a GB2312 page that happens to need GBK
        self.responses[path] = Response(200, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                                        body)
        return encoding

    def _static_files(self) -> None:
        files = {"/robots.txt": ("text/plain", ROBOTS.encode()),
                 "/images/style.css": ("text/css", b"body{margin:0;font-size:12px}.title{font-size:22px}\n"),
                 "/js/common.js": ("application/javascript", b"function doZoom(size){}\n"),
                 "/images/logo.gif": ("image/gif", _gif()),
                 "/images/banner.jpg": ("image/jpeg", _jpeg())}
        for path, (content_type, body) in files.items():
            self.responses[path] = Response(200, [("Content-Type", content_type),
                                                  ("Content-Length", str(len(body)))], body)

    def _attachment(self, item: _Item, index: int, ext: str, slots: dict) -> tuple[str, str]:
        when = item.when
        if item.column.url_style == "trs":
            path = f"{posixpath.dirname(item.path)}/P0{when:%Y%m%d}{item.number:06d}{index}.{ext}"
        else:
            path = f"/uploadfile/{when:%Y}/{when:%m%d}/{when:%Y%m%d%H%M%S}{item.number}{index}.{ext}"
        name = f"附件{index + 1}：{'某縣' if item.column.big5 else '某县'}{slots['topic']}"
        name += ATTACHMENT_NAMES[(item.number + index) % len(ATTACHMENT_NAMES)] if not item.column.big5 else "登記表"
        body = _attachment_bytes(ext, path)
        self.responses[path] = Response(200, [("Content-Type", ATTACHMENT_TYPES[ext]),
                                              ("Content-Length", str(len(body)))], body)
        return path, name

    def _image(self, item: _Item, index: int, ext: str) -> str:
        when = item.when
        if item.column.url_style == "trs":
            path = f"{posixpath.dirname(item.path)}/W0{when:%Y%m%d}{item.number:06d}{index}.{ext}"
        else:
            path = f"/uploadfile/{when:%Y}/{when:%m%d}/img_{item.number}_{index}.{ext}"
        body = {"jpg": _jpeg, "png": _png, "gif": _gif}[ext]()
        self.responses[path] = Response(200, [("Content-Type", IMAGE_TYPES[ext]), ("Content-Length", str(len(body)))],
                                        body)
        return path


# -- markup ---------------------------------------------------------------------------------------
def _page(variant: str, title_tag: str, head: list[str], column: Column | None, main: str, sidebar: str,
          big5: bool) -> str:
    labels = CHROME[big5]
    meta = ENCODINGS[variant][2]
    nav = [("/", labels["home"]), ("/zwgk/", labels["zwgk"]), ("/xwzx/", labels["xwzx"])]
    nav += [(item.list_path(0), TRADITIONAL.get(item.name, item.name) if big5 else item.name) for item in COLUMNS[:7]]
    nav += [("/hdjl/index.htm", labels["hdjl"]), ("/ftb/ywdt/index.htm", labels["ftb"])]
    nav_html = " | ".join(f'<a href="{href}">{name}</a>' for href, name in nav)
    crumb = ""
    if column is not None:
        crumb = (f'<div class="position">{labels["position"]}<a href="/">{labels["home"]}</a> &gt; '
                 f'<a href="{column.parent_path}">{column.parent}</a> &gt; '
                 f'<a href="{column.list_path(0)}">{column.name}</a></div>')
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head>{meta}\n<title>{html.escape(title_tag)}</title>\n'
        f'{"".join(head)}<link href="/images/style.css" rel="stylesheet" type="text/css" />'
        '<script type="text/javascript" src="/js/common.js"></script></head>\n'
        '<body leftmargin="0" topmargin="0"><table width="1000" border="0" align="center" cellpadding="0" '
        'cellspacing="0"><tr><td><img src="/images/banner.jpg" width="1000" height="120" alt="" /></td></tr>'
        f'<tr><td class="nav" height="36"><font color="#ffffff">{nav_html}</font>'
        f' <form action="/search/search.jsp" method="get"><input name="q" /></form>'
        f'<a href="/search/search.jsp?q=">{labels["search"]}</a></td></tr></table>\n'
        '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr>'
        f'<td width="730" valign="top">{crumb}{main}</td>'
        f'<td width="10"></td><td width="260" valign="top">{sidebar}</td></tr></table>\n'
        '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="footer"><tr>'
        f'<td align="center"><img src="/images/logo.gif" alt="" /><br />{labels["footer"]}<br />'
        f'<a href="/admin/login.jsp">{labels["login"]}</a> <a href="javascript:void(0)">{labels["top"]}</a> '
        f'<a href="mailto:zfb@example.gov.cn">{labels["contact"]}</a></td></tr></table>\n</body></html>\n')


def _article_main(title: str, info: str, meta_html: str, body_html: str, attach_html: str, rng, big5: bool,
                  features: set) -> str:
    tools = CHROME[big5]["tools"]
    title_html = rng.choice([
        f'<h1 class="title">{html.escape(title)}</h1>',
        f'<table width="100%"><tr><td class="title" align="center"><font size="5" color="#B40000"><b>'
        f'{html.escape(title)}</b></font></td></tr></table>',
        f'<div class="article-title">{html.escape(title)}</div>'])
    container = "plain" if "plain" in features else rng.choice(["trs", "zoom-td", "article-content", "hanweb"])
    if "inside" in features:  # the box of the main text holds the info line or the metadata too
        body_html, info, meta_html = meta_html + info + body_html, "", ""
    if container == "plain":  # an unmarked cell, as FrontPage-era pages have it
        content = (f'<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
                   f'<td style="font-size:14px;line-height:200%">{body_html}</td></tr></table>')
    elif container == "trs":
        content = f'<div id="zoom"><div class="TRS_Editor">{body_html}</div></div>'
    elif container == "zoom-td":
        content = (f'<table width="100%"><tr><td id="zoom" class="bt_content" style="font-size:14px;line-height:200%">'
                   f'<font face="宋体">{body_html}</font></td></tr></table>')
    elif container == "article-content":
        content = f'<div class="article-content" id="Zoom">{body_html}</div>'
    else:
        content = (f'<div id="content"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">{body_html}'
                   f'<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>')
    return (f'<div class="article">{meta_html}{title_html}{info}{content}{attach_html}'
            f'<div class="tools" align="right">{tools}</div></div>')


def _body(paragraphs: list, rng, big5: bool) -> tuple[str, str]:
    """The body's markup and its text (the paragraphs joined by newlines)."""
    parts, texts = [], []
    for entry in paragraphs:
        tag = entry[0]
        if tag == "text":
            style = rng.random()
            if style < 0.5:
                parts.append(f'<p style="text-indent: 2em;">{html.escape(entry[1])}</p>')
            elif style < 0.8:
                parts.append(f'<p><font size="3">　　{html.escape(entry[1])}</font></p>')
            else:
                parts.append(f'<p>&nbsp;&nbsp;&nbsp;&nbsp;{html.escape(entry[1])}</p>')
            texts.append(entry[1])
        elif tag == "sign":
            parts.append(f'<p style="text-align: right;">{html.escape(entry[1])}</p>')
            texts.append(entry[1])
        elif tag == "image":
            parts.append(f'<p style="text-align: center;"><img src="{html.escape(entry[1])}" alt="{entry[2]}" '
                         f'width="500" height="333" border="0" /></p>')
        elif tag == "attach":
            _tag, href, name, index = entry
            label = "" if index else "附件："
            parts.append(f'<p>{label}<a href="{html.escape(href)}" target="_blank">{html.escape(name)}</a></p>')
            texts.append(f"{label}{name}")
        elif tag == "link":
            _tag, href, other = entry
            lead = "相關閱讀：" if big5 else "相关阅读："
            text = other.title if other is not None else "点击查看原文"
            parts.append(f'<p>{lead}<a href="{html.escape(href)}">{html.escape(text)}</a></p>')
            texts.append(f"{lead}{text}")
        elif tag == "broken":
            _tag, href, text = entry
            parts.append(f'<p>更多内容请见：<a href="{html.escape(href)}">{text}</a></p>')
            texts.append(f"更多内容请见：{text}")
    return "\n".join(parts), "\n".join(texts)


def _metadata_block(rows: list[tuple[str, str]], style: str) -> str:
    """The 信息公开 metadata of a policy page in one of the shapes old CMSs used."""
    if style == "list":
        items = "".join(f"<li><span>{label}：</span>{html.escape(value)}</li>" for label, value in rows)
        return f'<div class="xxgk_info"><ul>{items}</ul></div>'
    cells = []
    for label, value in rows:
        if style == "table-colon":
            cells.append(f"<td>{label}：{html.escape(value)}</td>")
        elif style == "table-colon-half":
            cells.append(f"<td><b>{label}:</b> {html.escape(value)}</td>")
        elif style == "table-colon-spaced":
            spaced = "　".join(label) if len(label) == 3 else label
            cells.append(f'<td class="label">{spaced}：</td><td>{html.escape(value)}</td>')
        elif style == "table-next-th":
            cells.append(f"<th>{label}</th><td>{html.escape(value)}</td>")
        else:
            cells.append(f'<td class="label" bgcolor="#F2F2F2">{label}：</td><td>{html.escape(value)}</td>')
    per_row = 2
    rows_html = "".join(f"<tr>{''.join(cells[index:index + per_row])}</tr>" for index in range(0, len(cells), per_row))
    return (f'<table class="xxgk_table" width="100%" border="0" cellspacing="1" cellpadding="4" bgcolor="#CCCCCC">'
            f'{rows_html}</table>')


def _pager(column: Column, number: int, count: int, labels: dict) -> str:
    if count == 1:
        return f'<div class="page">{labels["pages"].format(n=1)}</div>'
    here = posixpath.dirname(column.list_path(0)) + "/"

    def href(page: int) -> str:
        path = column.list_path(page)
        return path.replace(here, "", 1) if path.startswith(here) else path

    parts = [labels["pages"].format(n=count)]
    if number > 0:
        parts += [f'<a href="{href(0)}">{labels["first"]}</a>', f'<a href="{href(number - 1)}">{labels["prev"]}</a>']
    for page in range(count):
        parts.append(f"<b>{page + 1}</b>" if page == number else f'<a href="{href(page)}">{page + 1}</a>')
    if number < count - 1:
        parts += [f'<a href="{href(number + 1)}">{labels["next"]}</a>',
                  f'<a href="{href(count - 1)}">{labels["last"]}</a>']
    return f'<div class="page">{"&nbsp;".join(parts)}</div>'


def _title_tag(title: str, column: Column, rng, big5: bool) -> str:
    site = CHROME[big5]["site"]
    return rng.choice([f"{title}_{site}", f"{title} - {column.name} - {site}", f"{title}"])


def _item_path(column: Column, number: int, when: datetime.datetime) -> str:
    if column.url_style == "trs":
        return f"{column.path}{when:%Y%m}/t{when:%Y%m%d}_{number}.html"
    if column.url_style == "founder":
        return f"{column.path}{when:%Y}/{when:%m%d}/c{number}.htm"
    return f"/art/{when.year}/{when.month}/{when.day}/art_{column.path.strip('/').split('col')[-1]}_{number}.html"


def _relative(path: str, directory: str, rng) -> str:
    """A link to `path` from a page in `directory`, as editors wrote them: relative or site-absolute."""
    if rng is not None and rng.random() < 0.35:
        return path
    return posixpath.relpath(path, directory.rstrip("/") or "/")


def _short(title: str) -> str:
    return title if len(title) <= 24 else title[:23] + "…"


def _show_date(value: datetime.date, style: str) -> str:
    if style == "cn":
        return f"{value.year}年{value.month:02d}月{value.day:02d}日"
    if style == "dash-short":
        return f"{value.year}-{value.month}-{value.day}"
    if style == "slash":
        return f"{value:%Y/%m/%d}"
    return value.isoformat()


# -- file bytes: small, with the magic numbers and structure of the real formats ------------------
@functools.cache
def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xc0\x20\x20"))
            + chunk(b"IEND", b""))


@functools.cache
def _gif() -> bytes:
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
            b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


@functools.cache
def _jpeg() -> bytes:
    from PIL import Image  # Pillow comes with Wagtail

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (180, 0, 0)).save(buffer, "JPEG", quality=50)
    return buffer.getvalue()


def _attachment_bytes(ext: str, path: str) -> bytes:
    marker = path.encode()
    if ext == "pdf":
        return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + marker
                + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    if ext in ("doc", "xls", "wps"):  # OLE2 compound file header
        header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
        return header + marker.ljust(482, b"\0")
    members = {"docx": ("word/document.xml", "<w:document/>"), "xlsx": ("xl/workbook.xml", "<workbook/>"),
               "zip": ("readme.txt", "附件")}[ext]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in [("[Content_Types].xml", "<Types/>"), members, ("source.txt", path)]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2015, 3, 12, 0, 0, 0)), text)
    return buffer.getvalue()


# -- serving ----------------------------------------------------------------------------------------
NOT_FOUND = ('<html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
             '<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>').encode()
PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


class Server:
    def __init__(self, site: SampleSite, base_url: str):
        self.site = site
        self.base_url = base_url
        # Keyed by the resource answered: the path, and for routes that take one (?page=2) the query.
        self.hits: Counter = Counter()
        self._lock = threading.Lock()

    def resolve(self, target: str) -> tuple[str, Response]:
        """The key and response for a request target, ignoring session ids and tracking parameters."""
        path, _sep, query = target.partition("?")
        path = PATH_SESSION.sub("", path.split("#", 1)[0]) or "/"
        kept = urlencode([(key, value) for key, value in parse_qsl(query) if key in ROUTE_PARAMS])
        key = f"{path}?{kept}" if kept else path
        response = self.site.responses.get(key)
        if response is None:
            return path, Response(404, [("Content-Type", "text/html; charset=utf-8"),
                                        ("Content-Length", str(len(NOT_FOUND)))], NOT_FOUND)
        return key, response

    def count(self, key: str) -> None:
        with self._lock:
            self.hits[key] += 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.2.15"  # what these sites ran on
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body are two writes: without it keep-alive waits on delayed ACKs

    def do_GET(self):
        self._answer(with_body=True)

    def do_HEAD(self):
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        owner: Server = self.server.owner
        key, response = owner.resolve(self.path)
        if with_body:
            owner.count(key)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, socket.timeout)):
            super().handle_error(request, client_address)  # a client that went away is no error of the fixture


@contextmanager
def serve(site: SampleSite, host: str = "127.0.0.1") -> Iterator[Server]:
    """The site on a free loopback port for the duration of the block."""
    httpd = _HTTPServer((host, 0), _Handler)
    server = Server(site, f"http://{host}:{httpd.server_address[1]}")
    httpd.owner = server
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                              name="sample-site")
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# -- scoring ------------------------------------------------------------------------------------------
def score(site: SampleSite, extracted: dict[str, dict]) -> tuple[int, int]:
    """(fields correct, fields in truth) over title, pub_date, body text and every metadata key."""
    correct = total = 0
    for path, truth in site.truth.items():
        got = extracted.get(path) or {}
        checks = [_same_text(truth.title, got.get("title"))]
        if truth.pub_date is not None:
            checks.append(truth.pub_date == _as_date(got.get("pub_date")))
        if truth.body_text:
            checks.append(similar(truth.body_text, got.get("body_text") or ""))
        found = got.get("metadata") or {}
        for key, value in truth.metadata.items():
            if isinstance(value, datetime.date):
                checks.append(value == _as_date(found.get(key)))
            else:
                checks.append(_same_text(value, found.get(key)))
        correct += sum(checks)
        total += len(checks)
    return correct, total


def similar(expected: str, found: str, threshold: float = 0.9) -> bool:
    """Normalised equality, else a difflib ratio of at least `threshold`."""
    a, b = _normal(expected), _normal(found)
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold and \
        matcher.ratio() >= threshold


def _normal(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def _same_text(expected, found) -> bool:
    return found is not None and _normal(expected) == _normal(found)


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
