"""Benchmark: province-wide search (python -m bench.search [--quick]).

In its own database (``jiyue_bench_search``): 50 sites registered through the registry
services (apply + approve, then marked online by SQL: no schema is provisioned, the
library only needs the registry rows), then N library resources of generated
government text **inserted with bulk SQL** (COPY into ``resources_resource``, not
through the outbox; 100,000 with ``--quick``, 1,000,000 otherwise). The search rows are
made by the real code (``backends.postgres.entry_row``: rjieba segmentation, the
tsvector literal) in worker processes and COPYed, then the text indexes are built by the
migration's own function (``lib/text_indexes.create_text_indexes``: RUM where the server
has it, else GIN). ``index_s`` is segmentation + load + index build.

Timed after a warm-up, through the backend's public methods: 200 queries of one to three
words (drawn with the vocabulary's Zipf weights, so common and rare words both occur),
each ranked and newest-first, without and with a site filter:
- ``ranked_*`` / ``date_*``: ``backend.page(query)`` -- the page of 10 hits in order with
  titles, URLs, site names and highlighted snippets;
- ``counts_*``: ``backend.counts(query)`` -- the total and the facets (by site, topic,
  year) over every match, which the search page shows too and which grows with the
  number of matches.
Targets (at 1,000,000): ranked p95 ≤ 50 ms, date-ordered p95 ≤ 20 ms."""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import random
import statistics
import sys
import time
from types import SimpleNamespace

from ._db import SiteMaker, emit, log, migrate_in_process, prepare

DATABASE = "jiyue_bench_search"
SITES = 50
QUERIES = 200
TARGET_RANKED_P95_MS = 50
TARGET_DATE_P95_MS = 20
SEED = 20261207

# Government vocabulary (words jieba knows), most frequent first: weights follow Zipf.
VOCABULARY = """
工作 发展 建设 推进 服务 管理 政府 人民政府 办公厅 实施 意见 通知 加强 经济 社会 企业 项目 全省 全市 改革
政策 落实 安全 创新 城市 农村 群众 部门 单位 组织 开展 推动 提升 完善 制度 机制 体系 重点 任务 目标
政务 公开 信息 数字 营商 环境 优化 一网通办 审批 许可 监管 执法 市场 主体 投资 产业 制造业 科技 人才
教育 医疗 卫生 健康 养老 就业 社保 住房 交通 水利 能源 生态 环保 污染 防治 绿色 低碳 碳达峰 乡村振兴
农业 粮食 耕地 文化 旅游 体育 应急 消防 防汛 抗旱 疫情 防控 财政 预算 资金 税收 金融 统计 审计 民政
救助 残疾人 妇女 儿童 青年 老年人 退役军人 民族 宗教 外事 港澳 对外开放 招商引资 高质量 现代化 规划
纲要 条例 办法 规定 细则 方案 计划 报告 公告 通告 决定 批复 函 会议 常务会议 部署 调研 督查 考核 评估
整改 问题 风险 隐患 排查 治理 基层 社区 街道 乡镇 县区 市场监管 食品 药品 质量 标准 知识产权 网络 数据
平台 系统 政务服务 便民 惠民 民生 实事 工程 重大项目 基础设施 公路 铁路 机场 港口 水库 电网 燃气 供水
""".split()
TITLE_ENDINGS = ["的通知", "的实施意见", "工作方案", "的公告", "情况报告", "的决定", "实施细则", "工作要点"]
TOPICS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"]


class Text:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.weights = [1.0 / (rank + 1) for rank in range(len(VOCABULARY))]

    def words(self, count: int) -> list[str]:
        return self.random.choices(VOCABULARY, self.weights, k=count)

    def title(self) -> str:
        return "关于" + "".join(self.words(self.random.randint(2, 6))) + self.random.choice(TITLE_ENDINGS)

    def body(self) -> str:
        sentences = []
        for _ in range(self.random.randint(4, 14)):
            clauses = ["".join(self.words(self.random.randint(3, 8))) for _ in range(self.random.randint(1, 3))]
            sentences.append("，".join(clauses) + "。")
        return "".join(sentences)

    def query(self) -> str:
        return " ".join(dict.fromkeys(self.words(self.random.randint(1, 3))))


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def make_sites() -> list[int]:
    from django.db import connection

    maker = SiteMaker()
    ids = [maker.approved_site().pk for _ in range(SITES)]
    with connection.cursor() as cursor:  # online without a schema: the library needs the rows only
        cursor.execute("UPDATE registry_site SET status = 'online' WHERE id = ANY(%s)", [ids])
    return ids


def insert_resources(count: int, site_ids: list[int]) -> None:
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    text = Text(SEED)
    start = timezone.make_aware(datetime.datetime(2015, 1, 1))
    columns = ["site_id", "page_id", "content_type", "status", "schema_version", "metadata", "body_text", "title",
               "url", "pub_date", "topic_code", "genre_code", "schema_issues", "version", "created_at", "updated_at"]
    now = timezone.now().isoformat()
    batch = 20_000
    for first in range(0, count, batch):
        rows = []
        for number in range(first, min(count, first + batch)):
            title = text.title()
            pub_date = (start + datetime.timedelta(minutes=text.random.randint(0, 60 * 24 * 365 * 12))).isoformat()
            rows.append((site_ids[number % len(site_ids)], number + 1, "article", "live", 1,
                         json.dumps({"title": title}, ensure_ascii=False), text.body(), title,
                         f"https://www.example.gov.cn/art/{number + 1}.html", pub_date,
                         text.random.choice(TOPICS), "", "[]", 1, now, now))
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, "resources_resource", columns, rows)
        log(f"  inserted {min(count, first + batch):,} resources")


def _segment(rows):
    """Worker: search rows for a batch of resources (the backend's own entry_row)."""
    from shared_library.search.backends.postgres import entry_row

    return [entry_row(SimpleNamespace(**row)) for row in rows]


def _worker_setup():
    import django

    django.setup()


def build_index() -> float:
    """Segment and load every resource, then build the text indexes; returns seconds."""
    from django.db import connection, connections, transaction

    from shared_library.search.lib.text_indexes import create_text_indexes, drop_text_indexes

    started = time.monotonic()
    drop_text_indexes(connection)
    columns = ["resource_id", "site_id", "vector", "sort_date", "year", "topic_code", "source_updated_at",
               "index_format"]
    last_id, done = 0, 0
    connections.close_all()  # the forked workers must not share this process's connection
    with multiprocessing.get_context("fork").Pool(max(1, multiprocessing.cpu_count()),
                                                    initializer=_worker_setup) as pool:
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, site_id, status, schema_issues, title, metadata, body_text, pub_date, "
                               "topic_code, created_at, updated_at FROM resources_resource WHERE id > %s "
                               "ORDER BY id LIMIT 20000", [last_id])
                names = [column[0] for column in cursor.description]
                rows = [dict(zip(names, row)) for row in cursor.fetchall()]
            if not rows:
                break
            for row in rows:
                row["pk"] = row.pop("id")
                # Django's connection hands jsonb over undecoded (the model field decodes it).
                row["metadata"], row["schema_issues"] = json.loads(row["metadata"]), json.loads(row["schema_issues"])
            chunks = [rows[index:index + 1000] for index in range(0, len(rows), 1000)]
            entries = [entry for chunk in pool.map(_segment, chunks) for entry in chunk]
            with transaction.atomic(), connection.cursor() as cursor:
                _copy(cursor, "search_entry", columns, entries)
            last_id = rows[-1]["pk"]
            done += len(rows)
            log(f"  segmented and loaded {done:,} ({done / (time.monotonic() - started):,.0f}/s)")
    log("  building the text indexes")
    built = time.monotonic()
    kind = create_text_indexes(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
    log(f"  {kind} indexes built in {time.monotonic() - built:.0f}s")
    return time.monotonic() - started


def percentile(values, fraction: float) -> float | None:
    values = sorted(values)
    if not values:
        return None
    return round(values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))], 2)


def run(count: int) -> dict:
    from shared_library.search.backends import ORDER_DATE, ORDER_RANKED, SearchQuery
    from shared_library.search.backends.postgres import PostgresBackend
    from shared_library.search.lib.query import parse_query

    migrate_in_process()
    log(f"registering {SITES} sites")
    site_ids = make_sites()
    log(f"inserting {count:,} resources (bulk SQL, not through the outbox)")
    insert_resources(count, site_ids)
    log("indexing")
    index_s = build_index()
    backend = PostgresBackend()
    kind = "rum" if backend.use_rum else "gin"

    text = Text(SEED + 1)
    queries = [parse_query(text.query()) for _ in range(QUERIES)]
    filters = [text.random.choice(site_ids) for _ in range(QUERIES)]
    province = tuple(site_ids)
    timings: dict[str, list[float]] = {"ranked": [], "date": [], "ranked_site": [], "date_site": [], "counts": []}
    matches = []
    for warm_up in (True, False):
        for words, site_id in zip(queries, filters):
            for order, key in ((ORDER_RANKED, "ranked"), (ORDER_DATE, "date")):
                for scope, suffix in ((province, ""), ((site_id,), "_site")):
                    query = SearchQuery(words=words, site_ids=scope, order=order)
                    started = time.perf_counter()
                    backend.page(query)
                    if not warm_up:
                        timings[key + suffix].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            total, _facets = backend.counts(SearchQuery(words=words, site_ids=province))
            if not warm_up:
                timings["counts"].append((time.perf_counter() - started) * 1000)
                matches.append(total)
        log("warm-up done" if warm_up else "timed runs done")

    both = {name: timings[name] + timings[name + "_site"] for name in ("ranked", "date")}
    result = {
        "bench": "search", "resources": count, "backend": kind, "sites": SITES, "queries": QUERIES,
        "ranked_p95_ms": percentile(both["ranked"], 0.95), "ranked_p99_ms": percentile(both["ranked"], 0.99),
        "date_p95_ms": percentile(both["date"], 0.95), "date_p99_ms": percentile(both["date"], 0.99),
        "ranked_province_p95_ms": percentile(timings["ranked"], 0.95),
        "ranked_site_p95_ms": percentile(timings["ranked_site"], 0.95),
        "date_province_p95_ms": percentile(timings["date"], 0.95),
        "date_site_p95_ms": percentile(timings["date_site"], 0.95),
        "counts_p50_ms": percentile(timings["counts"], 0.5), "counts_p95_ms": percentile(timings["counts"], 0.95),
        "matches_median": statistics.median(matches), "matches_max": max(matches),
        "index_s": round(index_s, 1),
        "target_ranked_p95_ms": TARGET_RANKED_P95_MS, "target_date_p95_ms": TARGET_DATE_P95_MS,
    }
    result["ok"] = (result["ranked_p95_ms"] <= TARGET_RANKED_P95_MS and result["date_p95_ms"] <= TARGET_DATE_P95_MS)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--quick", action="store_true", help="100,000 resources instead of 1,000,000")
    parser.add_argument("--resources", type=int, default=None, help="override the number of resources")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    count = args.resources or (100_000 if args.quick else 1_000_000)

    env = prepare(DATABASE, keep=args.keep)
    try:
        try:
            result = run(count)
        except Exception as error:  # still print the JSON line, with the error
            log(f"failed: {error!r}")
            result = {"bench": "search", "resources": count, "backend": None, "ranked_p95_ms": None,
                      "ranked_p99_ms": None, "date_p95_ms": None, "index_s": None,
                      "target_ranked_p95_ms": TARGET_RANKED_P95_MS, "target_date_p95_ms": TARGET_DATE_P95_MS,
                      "error": repr(error)[:500], "ok": False}
    finally:
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


if __name__ == "__main__":
    main()
