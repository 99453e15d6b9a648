"""Default column trees (栏目模板) a new site starts with; editors extend them.

Each entry: (title, slug, column type, children)."""
from .models import ColumnType as T

PORTAL = [
    ("政务公开", "zwgk", T.PUBLISHING, [
        ("政策文件", "zcwj", T.PUBLISHING, []),
        ("政策解读", "zcjd", T.INTERPRETATION, []),
        ("政府信息公开指南", "gkzn", T.PUBLISHING, []),
        ("政府信息公开目录", "gkml", T.PUBLISHING, []),
        ("政府信息公开年报", "gknb", T.PUBLISHING, []),
        ("人事信息", "rsxx", T.PUBLISHING, []),
    ]),
    ("政务服务", "zwfw", T.SERVICE, [
        ("办事指南", "bszn", T.SERVICE, []),
        ("便民服务", "bmfw", T.SERVICE, []),
    ]),
    ("互动交流", "hdjl", T.INTERACTION, [
        ("领导信箱", "ldxx", T.INTERACTION, []),
        ("在线访谈", "zxft", T.INTERACTION, []),
        ("征集调查", "zjdc", T.INTERACTION, []),
    ]),
    ("概况", "gk", T.PUBLISHING, [
        ("基本情况", "jbqk", T.PUBLISHING, []),
        ("领导之窗", "ldzc", T.PUBLISHING, []),
        ("机构设置", "jgsz", T.PUBLISHING, []),
    ]),
    ("新闻动态", "xwdt", T.PUBLISHING, [
        ("政务要闻", "zwyw", T.PUBLISHING, []),
        ("部门动态", "bmdt", T.PUBLISHING, []),
        ("通知公告", "tzgg", T.PUBLISHING, []),
    ]),
    ("专题专栏", "ztzl", T.SPECIAL, []),
]

DEPARTMENT = [
    ("机构概况", "jggk", T.PUBLISHING, [
        ("主要职责", "zyzz", T.PUBLISHING, []),
        ("领导信息", "ldxx", T.PUBLISHING, []),
    ]),
    ("新闻动态", "xwdt", T.PUBLISHING, [
        ("工作动态", "gzdt", T.PUBLISHING, []),
        ("通知公告", "tzgg", T.PUBLISHING, []),
    ]),
    ("政务公开", "zwgk", T.PUBLISHING, [
        ("政策文件", "zcwj", T.PUBLISHING, []),
        ("政策解读", "zcjd", T.INTERPRETATION, []),
    ]),
    ("政务服务", "zwfw", T.SERVICE, []),
    ("互动交流", "hdjl", T.INTERACTION, []),
]

TEMPLATES = {"portal": PORTAL, "department": DEPARTMENT}
