"""The platform-wide default dictionaries: secret markings and a few words no
government page should carry (block or warn), common typos and non-standard forms of
government writing (warn), and an empty leader list that checks the usual titles.
Each gets version 1, active; editors change them through the console like any other.

RunSQL, not RunPython: `jiyue migrate` replays the collected SQL of a pending plan on
every site schema, and any RunPython in the plan sends every site through Django's
own migrate instead (tenants/schemas/migrate.py). In site schemas this SQL is
skipped by the tenant router like the rest of the app."""
import json

from django.db import migrations

SENSITIVE = [
    # word, category, severity
    ("绝密", "涉密", "block"),
    ("机密", "涉密", "block"),
    ("秘密★", "涉密", "block"),
    ("秘密级", "涉密", "block"),
    ("内部资料", "涉密", "warn"),
    ("内部文件", "涉密", "warn"),
    ("不得外传", "涉密", "warn"),
    ("他妈的", "不文明用语", "block"),
    ("傻逼", "不文明用语", "block"),
    ("屌丝", "不文明用语", "warn"),
]

TYPOS = [
    # wrong, correct, category
    ("截止目前", "截至目前", "不规范用语"),
    ("截止到", "截至", "不规范用语"),
    ("其它", "其他", "不规范用语"),
    ("帐户", "账户", "不规范用语"),
    ("帐号", "账号", "不规范用语"),
    ("做为", "作为", "不规范用语"),
    ("按装", "安装", "错别字"),
    ("按排", "安排", "错别字"),
    ("拔付", "拨付", "错别字"),
    ("贯切落实", "贯彻落实", "错别字"),
    ("党风廉正", "党风廉政", "错别字"),
    ("廉正建设", "廉政建设", "错别字"),
    ("脱贫攻艰", "脱贫攻坚", "错别字"),
    ("营商坏境", "营商环境", "错别字"),
    ("身分证", "身份证", "错别字"),
    ("录相", "录像", "错别字"),
    ("再接再励", "再接再厉", "错别字"),
    ("一如继往", "一如既往", "错别字"),
    ("迫不急待", "迫不及待", "错别字"),
    ("按步就班", "按部就班", "错别字"),
    ("直接了当", "直截了当", "错别字"),
    ("既往不究", "既往不咎", "错别字"),
    ("各行其事", "各行其是", "错别字"),
    ("一股作气", "一鼓作气", "错别字"),
    ("人才倍出", "人才辈出", "错别字"),
    ("委屈求全", "委曲求全", "错别字"),
    ("挺而走险", "铤而走险", "错别字"),
    ("蛛丝蚂迹", "蛛丝马迹", "错别字"),
]

LEADER_TITLES = ["省长", "副省长", "市长", "副市长", "县长", "副县长", "书记", "副书记",
                 "主任", "副主任", "厅长", "副厅长", "局长", "副局长"]

DICTIONARIES = [
    # name, kind, description, terms as (text, replacement, category, severity), checked titles
    ("全省通用敏感词", "sensitive", "涉密标志和不文明用语，适用于所有网站",
     [(word, "", category, severity) for word, category, severity in SENSITIVE], []),
    ("全省通用错别字与不规范用语", "typo", "政务写作常见错别字和不规范用语，适用于所有网站",
     [(wrong, right, category, "warn") for wrong, right, category in TYPOS], []),
    ("全省领导职务", "leader_title", "领导姓名及其正确职务，请按实际任职导入", [], LEADER_TITLES),
]


def _insert(name, kind, description, terms, titles):
    params = [name, kind, description, "初始词库", len(terms), json.dumps(titles, ensure_ascii=False)]
    sql = (
        "WITH d AS (INSERT INTO checks_dictionary (name, kind, description, created_at, site_id) "
        "VALUES (%s, %s, %s, now(), NULL) RETURNING id), "
        "v AS (INSERT INTO checks_dictionaryversion "
        "(dictionary_id, number, uid, note, term_count, checked_titles, created_at) "
        "SELECT id, 1, gen_random_uuid(), %s, %s, %s::jsonb, now() FROM d RETURNING id, dictionary_id)"
    )
    if terms:
        rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(terms))
        sql += (
            ", t AS (INSERT INTO checks_term (version_id, position, text, replacement, category, severity, note) "
            f"SELECT v.id, x.position, x.text, x.replacement, x.category, x.severity, '' FROM v, (VALUES {rows}) "
            "AS x(position, text, replacement, category, severity))"
        )
        for position, term in enumerate(terms, start=1):
            params += [position, *term]
    sql += " SELECT 1"
    return sql, params


_NAMES = ", ".join("'%s'" % name for name, *_rest in DICTIONARIES)
_SEEDED = f"SELECT id FROM checks_dictionary WHERE site_id IS NULL AND name IN ({_NAMES})"
REMOVE = [
    f"UPDATE checks_dictionary SET active_version_id = NULL WHERE id IN ({_SEEDED})",
    f"DELETE FROM checks_term WHERE version_id IN "
    f"(SELECT id FROM checks_dictionaryversion WHERE dictionary_id IN ({_SEEDED}))",
    f"DELETE FROM checks_dictionaryversion WHERE dictionary_id IN ({_SEEDED})",
    f"DELETE FROM checks_dictionary WHERE id IN ({_SEEDED})",
]


# A statement does not see rows its own WITH clauses inserted, so activation is separate.
ACTIVATE = (
    "UPDATE checks_dictionary SET active_version_id = v.id FROM checks_dictionaryversion v "
    f"WHERE v.dictionary_id = checks_dictionary.id AND v.number = 1 AND checks_dictionary.id IN ({_SEEDED})"
)


class Migration(migrations.Migration):

    dependencies = [
        ("checks", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(sql=[_insert(*dictionary) for dictionary in DICTIONARIES] + [ACTIVATE],
                          reverse_sql=REMOVE),
    ]
