"""The standard government lists the platform starts with.

主题分类: the topic classification of the State Council's government information
disclosure catalogue (国务院政府信息公开目录). 体裁分类: the 15 kinds of official
documents of the 党政机关公文处理工作条例 (2012), plus 其他."""
TOPIC = "topic"
GENRE = "genre"

TAXONOMIES = {TOPIC: "主题分类", GENRE: "体裁分类"}
# The last term of both lists, for what fits none of the others.
OTHER = "其他"

TERMS = {
    TOPIC: [
        "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
        "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
        "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
        "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
    ],
    GENRE: [
        "决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
        "议案", "函", "纪要", "其他",
    ],
}


def numbered(taxonomy: str):
    """(code, name, sort order) for each term of a standard list; codes are two digits."""
    return [(f"{index:02d}", name, index) for index, name in enumerate(TERMS[taxonomy], start=1)]
