"""The Wagtail groups every site schema has, one per site role (created by this app's
data migration, so cloned and migrated schemas carry the same rows)."""
GROUP_FOR_ROLE = {
    "site_admin": "网站管理员",
    "editor": "编辑",
    "reviewer": "审核",
}
