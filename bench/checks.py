"""Benchmark: content checks (python -m bench.checks [--quick]).

In its own database (``jiyue_bench_checks``, public schema only), through the real code
paths: generated dictionaries are imported with ``import_csv`` (platform-wide:
sensitive words, typos and leaders, 50,000 terms in all; plus a small dictionary of
one site), then ``check_fields`` checks a generated 10,000-character article (title +
body) of that site -- one query for the active versions, both automatons, overlap
resolution, findings -- after a warm-up.

Figures: ``p50_ms`` / ``p99_ms`` per check (target p50 5 ms); ``build_s``, building the
platform automaton from the database (``engine.build_matcher``: reading the terms and
making the automaton; target 5 s); ``shared_load_s``, getting the same automaton from
``caches["shared"]`` and unpickling it, and ``unpickle_s`` for the unpickling alone (the
figures behind the engine's choice to share automatons between processes);
``import_50k_s``, one ``import_csv`` of 50,000 terms (a version that is not activated).

REDIS_URL is removed like in the other benchmarks, so ``caches["shared"]`` is the
demo's file cache; with Redis the transfer differs (measured here: ~10 MB in ~15 ms)."""
from __future__ import annotations

import argparse
import csv
import io
import pickle
import random
import statistics
import sys
import time

from ._db import emit, log, prepare

DATABASE = "jiyue_bench_checks"
TARGET_P50_MS = 5
TARGET_BUILD_S = 5
TERMS = 50_000
CHARS = 10_000
SEED = 20260101
# Of the platform-wide terms: leaders, typos, the rest sensitive words.
LEADERS = 500
TYPOS = 9_500


def hanzi() -> list[str]:
    """The 3,755 characters of GB2312 level 1 (common Chinese characters)."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


class Generator:
    def __init__(self, seed: int = SEED):
        self.random = random.Random(seed)
        chars = hanzi()
        # A Zipf-like weight, so some characters are far more frequent, as in real text.
        self.chars = chars
        self.weights = [1 / (rank + 10) for rank in range(len(chars))]
        self.seen: set[str] = set()

    def word(self, low=2, high=6) -> str:
        """Characters drawn uniformly: a dictionary is not made of the most frequent
        characters, so an article hits a few of its words, not hundreds."""
        while True:
            length = self.random.randint(low, high)
            word = "".join(self.random.choices(self.chars, k=length))
            if word not in self.seen:
                self.seen.add(word)
                return word

    def terms(self, count: int) -> list[str]:
        return [self.word() for _ in range(count)]

    def article(self, chars: int, planted: list[str]) -> str:
        """Sentences of frequent characters and punctuation, with the planted words spread through."""
        parts, length = [], 0
        planted = list(planted)
        while length < chars:
            sentence = "".join(self.random.choices(self.chars, self.weights, k=self.random.randint(8, 30)))
            if planted and self.random.random() < 0.3:
                cut = self.random.randint(0, len(sentence))
                sentence = sentence[:cut] + planted.pop() + sentence[cut:]
            sentence += self.random.choice("，。；、：")
            parts.append(sentence)
            length += len(sentence)
        return "".join(parts)[:chars]


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.checks")
    parser.add_argument("--quick", action="store_true", help="200 timed checks instead of 2,000")
    parser.add_argument("--runs", type=int, default=None, help="override the number of timed checks")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    runs = args.runs or (200 if args.quick else 2000)

    env = prepare(DATABASE, keep=args.keep)
    try:
        try:
            result = run(runs)
        except Exception as error:  # still print the JSON line, with the error
            log(f"failed: {error!r}")
            result = {"bench": "checks", "terms": None, "chars": None, "p50_ms": None, "p99_ms": None,
                      "build_s": None, "target_p50_ms": TARGET_P50_MS, "target_build_s": TARGET_BUILD_S,
                      "error": repr(error)[:500], "ok": False}
    finally:
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


def run(runs: int) -> dict:
    from django.core.cache import caches
    from django.core.management import call_command

    from tenants.checks import engine
    from tenants.checks.engine import CheckedField, check_fields
    from tenants.checks.models import Dictionary
    from tenants.checks.services.dictionaries import create_dictionary, import_csv
    from tenants.registry.models import Level, OrgUnit, OrgUnitKind
    from tenants.registry.services.sites import apply_for_site

    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    log(f"public schema migrated ({time.monotonic() - started:.0f}s)")

    gen = Generator()
    # The seeded defaults count towards the platform-wide terms.
    seeded = sum(d.active_version.term_count for d in Dictionary.objects.filter(site__isnull=True)
                 .select_related("active_version"))
    sensitive_count = TERMS - LEADERS - TYPOS - seeded
    sensitive = gen.terms(sensitive_count)
    typos = gen.terms(TYPOS)
    leaders = [gen.word(2, 3) for _ in range(LEADERS)]
    titles = ["省长", "副省长", "市长", "副市长", "县长", "副县长", "书记", "副书记",
              "主任", "副主任", "厅长", "副厅长", "局长", "副局长"]

    files = {
        "sensitive": to_csv(["词语", "分类", "级别"], [[w, "政治", "禁止" if i % 5 == 0 else "提示"]
                                                     for i, w in enumerate(sensitive)]),
        "typo": to_csv(["错误写法", "正确写法"], [[w, gen.word()] for w in typos]),
        "leader_title": to_csv(["姓名", "正确职务"], [[name, titles[i % len(titles)]]
                                                  for i, name in enumerate(leaders)]),
    }
    import_seconds = {}
    for kind, data in files.items():
        dictionary = create_dictionary(acting_user=None, name=f"基准{kind}", kind=kind)
        t0 = time.perf_counter()
        import_csv(dictionary, data, acting_user=None)
        import_seconds[kind] = round(time.perf_counter() - t0, 3)
    log(f"imported platform dictionaries: {import_seconds}")

    scratch = create_dictionary(acting_user=None, name="基准导入", kind="sensitive")
    big = to_csv(["词语", "分类", "级别"], [[w, "政治", "提示"] for w in gen.terms(TERMS)])
    t0 = time.perf_counter()
    import_csv(scratch, big, acting_user=None, activate=False)
    import_50k_s = round(time.perf_counter() - t0, 3)
    log(f"imported 50,000 terms as one version in {import_50k_s}s")

    unit = OrgUnit.objects.create(name="基准省人民政府", kind=OrgUnitKind.GOVERNMENT, level=Level.PROVINCE,
                                  code="bench-checks-unit")
    site = apply_for_site(acting_user=None, org_unit=unit, name="基准网站", short_code="benchchecks",
                          hosts=["www.benchchecks.bench.localhost"], sponsor="基准省人民政府",
                          identity_code="3200000001")
    own_words = gen.terms(200)
    own = create_dictionary(acting_user=None, name="本站词库", kind="sensitive", site=site)
    import_csv(own, to_csv(["词语", "分类", "级别"], [[w, "本地", "提示"] for w in own_words]), acting_user=None)

    platform_ids = [ref.id for ref in engine.active_versions(None)[0]]
    terms = sum(d.active_version.term_count for d in Dictionary.objects.filter(site__isnull=True)
                .select_related("active_version"))
    builds = []
    for _ in range(3):
        t0 = time.perf_counter()
        matcher = engine.build_matcher(platform_ids)
        builds.append(time.perf_counter() - t0)
    build_s = round(statistics.median(builds), 3)
    data = pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL)
    t0 = time.perf_counter()
    pickle.loads(data)
    unpickle_s = round(time.perf_counter() - t0, 4)
    caches["shared"].set("bench:checks:matcher", data, timeout=600)
    t0 = time.perf_counter()
    pickle.loads(caches["shared"].get("bench:checks:matcher"))
    shared_load_s = round(time.perf_counter() - t0, 4)
    log(f"platform automaton: build {build_s}s, pickle {len(data) / 1e6:.1f} MB, unpickle {unpickle_s}s, "
        f"shared cache + unpickle {shared_load_s}s")

    planted = (gen.random.sample(sensitive, 10) + gen.random.sample(typos, 10) + own_words[:5]
               + [f"{leaders[0]}{titles[1]}", f"{titles[0]}{leaders[1]}"])
    body = gen.article(CHARS - 20, planted)
    fields = [CheckedField("title", "标题", gen.article(20, [])), CheckedField("body.0", "正文", body)]
    chars = sum(len(f.text) for f in fields)

    engine.matcher_cache.clear()
    for _ in range(10):  # warm-up: loads both automatons into this process
        report = check_fields(fields, site_id=site.pk)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        report = check_fields(fields, site_id=site.pk)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50_ms = round(statistics.median(times), 3)
    p99_ms = round(times[min(len(times) - 1, int(len(times) * 0.99))], 3)
    log(f"{runs} checks of {chars} characters: p50 {p50_ms} ms, p99 {p99_ms} ms, "
        f"{len(report.findings)} findings ({len(report.blocking)} blocking)")

    result = {
        "bench": "checks", "terms": terms, "chars": chars, "p50_ms": p50_ms, "p99_ms": p99_ms,
        "build_s": build_s, "target_p50_ms": TARGET_P50_MS, "target_build_s": TARGET_BUILD_S,
        "runs": runs, "findings": len(report.findings), "blocking": len(report.blocking),
        "site_terms": len(own_words), "versions": len(report.versions),
        "import_50k_s": import_50k_s, "import_s": import_seconds,
        "pickle_mb": round(len(data) / 1e6, 1), "unpickle_s": unpickle_s, "shared_load_s": shared_load_s,
        "timed": "check_fields(title + body, site_id) after warm-up; build_s = engine.build_matcher(platform versions)",
        "total_s": round(time.monotonic() - started, 1),
    }
    result["ok"] = p50_ms <= TARGET_P50_MS and build_s <= TARGET_BUILD_S
    return result


if __name__ == "__main__":
    main()
