"""Check dictionaries (检查词库), in the public schema.

A ``Dictionary`` is platform-wide (``site`` is NULL) or belongs to one site. Its
content lives in immutable ``DictionaryVersion`` rows, each with its own ``Term``
rows: every import or edit writes a whole new version (terms are copied forward in
SQL), and the dictionary points at its active version. Activating an earlier version
is the rollback. Writes go through ``tenants.checks.services.dictionaries``."""
import uuid

from django.conf import settings
from django.db import models


class DictionaryKind(models.TextChoices):
    SENSITIVE = "sensitive", "敏感词"
    TYPO = "typo", "错别字与不规范用语"
    LEADER_TITLE = "leader_title", "领导职务"


class Severity(models.TextChoices):
    BLOCK = "block", "禁止"
    WARN = "warn", "提示"


# The titles a new leader dictionary checks (a version may change the list).
DEFAULT_LEADER_TITLES = [
    "省长", "副省长", "市长", "副市长", "县长", "副县长", "书记", "副书记",
    "主任", "副主任", "厅长", "副厅长", "局长", "副局长",
]
TERM_MAX_LENGTH = 100


class Dictionary(models.Model):
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=DictionaryKind.choices)
    site = models.ForeignKey(
        "registry.Site", verbose_name="所属网站", null=True, blank=True, on_delete=models.CASCADE,
        related_name="check_dictionaries", help_text="为空表示全省通用",
    )
    description = models.CharField("说明", max_length=200, blank=True)
    active_version = models.ForeignKey(
        "checks.DictionaryVersion", verbose_name="当前版本", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "检查词库"
        verbose_name_plural = "检查词库"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], nulls_distinct=False,
                                    name="checks_dictionary_name_unique_per_site"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_platform_wide(self) -> bool:
        return self.site_id is None


class DictionaryVersion(models.Model):
    """One immutable state of a dictionary. ``uid`` names the version across
    databases (the shared automaton cache is keyed by it, never by the id)."""

    # Indexed by the (dictionary, number) constraint.
    dictionary = models.ForeignKey(Dictionary, on_delete=models.CASCADE, related_name="versions", db_index=False)
    number = models.PositiveIntegerField("版本号")
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    note = models.CharField("说明", max_length=200, blank=True)
    term_count = models.PositiveIntegerField("词条数", default=0)
    # Leader dictionaries: the titles checked next to a leader's name.
    checked_titles = models.JSONField("检查的职务", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "词库版本"
        verbose_name_plural = "词库版本"
        ordering = ["dictionary", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "number"], name="checks_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.dictionary} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("词库版本创建后不能修改，请创建新版本")
        super().save(*args, **kwargs)


class Term(models.Model):
    """One entry of a version. Columns by kind:

    - sensitive: ``text`` the word, ``category`` (涉密, 政治…), ``severity``;
    - typo: ``text`` the wrong form, ``replacement`` the correct form, ``category``
      (optional), ``severity``;
    - leader_title: ``text`` the leader's name, ``replacement`` the correct titles
      joined by "、", ``severity``.
    """

    # Indexed by the (version, text) constraint; one index less to fill on import.
    version = models.ForeignKey(DictionaryVersion, on_delete=models.CASCADE, related_name="terms", db_index=False)
    position = models.PositiveIntegerField("序号")
    text = models.CharField("词语", max_length=TERM_MAX_LENGTH)
    replacement = models.CharField("正确写法", max_length=200, blank=True)
    category = models.CharField("分类", max_length=30, blank=True)
    severity = models.CharField("级别", max_length=10, choices=Severity.choices, default=Severity.WARN)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "词条"
        verbose_name_plural = "词条"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "text"], name="checks_term_text_unique_per_version"),
        ]
        indexes = [models.Index(fields=["version", "position"], name="checks_term_version_position")]

    def __str__(self):
        return self.text

    @property
    def correct_titles(self) -> list[str]:
        return [title for title in self.replacement.split("、") if title]
