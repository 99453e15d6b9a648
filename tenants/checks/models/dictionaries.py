"""Check dictionaries (检查词库), in the public schema.

A ``Dictionary`` is platform-wide (``site`` is NULL) or belongs to one site. Its
content lives in immutable ``DictionaryVersion`` rows, each with its own ``Term``
rows: every import or edit writes a whole new version (terms are copied forward in
SQL), and the dictionary points at its active version. Activating an earlier version
is the rollback. Writes go through ``tenants.checks.services.dictionaries``."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DictionaryKind(models.TextChoices):
    SENSITIVE = "sensitive", _("Sensitive words")
    TYPO = "typo", _("Typos and non-standard usage")
    LEADER_TITLE = "leader_title", _("Leader titles")


class Severity(models.TextChoices):
    BLOCK = "block", pgettext_lazy("check severity", "Block")
    WARN = "warn", pgettext_lazy("check severity", "Warn")


# The titles a new leader dictionary checks (a version may change the list).
DEFAULT_LEADER_TITLES = [
    "省长", "副省长", "市长", "副市长", "县长", "副县长", "书记", "副书记",
    "主任", "副主任", "厅长", "副厅长", "局长", "副局长",
]
TERM_MAX_LENGTH = 100


class Dictionary(models.Model):
    name = models.CharField(pgettext_lazy("check dictionary", "name"), max_length=60)
    kind = models.CharField(pgettext_lazy("check dictionary", "kind"), max_length=20, choices=DictionaryKind.choices)
    site = models.ForeignKey(
        "registry.Site", verbose_name=pgettext_lazy("check dictionary", "site"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="check_dictionaries", help_text=_("Empty means province-wide"),
    )
    description = models.CharField(pgettext_lazy("check dictionary", "description"), max_length=200, blank=True)
    active_version = models.ForeignKey(
        "checks.DictionaryVersion", verbose_name=pgettext_lazy("check dictionary", "active version"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check dictionary")
        verbose_name_plural = _("check dictionaries")
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
    number = models.PositiveIntegerField(pgettext_lazy("dictionary version", "number"))
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    note = models.CharField(pgettext_lazy("dictionary version", "note"), max_length=200, blank=True)
    term_count = models.PositiveIntegerField(pgettext_lazy("dictionary version", "number of entries"), default=0)
    # Leader dictionaries: the titles checked next to a leader's name.
    checked_titles = models.JSONField(pgettext_lazy("dictionary version", "titles checked"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("dictionary version", "created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("dictionary version", "created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dictionary version")
        verbose_name_plural = _("dictionary versions")
        ordering = ["dictionary", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "number"], name="checks_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.dictionary} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(_("A dictionary version cannot be changed once created; create a new version"))
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
    position = models.PositiveIntegerField(pgettext_lazy("dictionary entry", "position"))
    text = models.CharField(pgettext_lazy("dictionary entry", "word"), max_length=TERM_MAX_LENGTH)
    replacement = models.CharField(pgettext_lazy("dictionary entry", "correct form"), max_length=200, blank=True)
    category = models.CharField(pgettext_lazy("dictionary entry", "category"), max_length=30, blank=True)
    severity = models.CharField(pgettext_lazy("dictionary entry", "severity"), max_length=10, choices=Severity.choices,
                                default=Severity.WARN)
    note = models.CharField(pgettext_lazy("dictionary entry", "remarks"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dictionary entry")
        verbose_name_plural = _("dictionary entries")
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
