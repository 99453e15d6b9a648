from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CODE_MAX_LENGTH = 20
NAME_MAX_LENGTH = 60
# Between the names of a term's ancestors in its full path name.
PATH_SEPARATOR = " / "


class Taxonomy(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("taxonomy", "name"), max_length=60)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self):
        return self.name


class ActiveTermManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_active=True)


class Term(models.Model):
    """A term of one taxonomy, in a tree: ``parent`` is a term of the same taxonomy
    (None: a root). The services keep the tree sound: no cycles, the parent in the
    same taxonomy, an active term's parent active; they lock the taxonomy's row, so
    two moves at once cannot make a cycle between them."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms",
                                 verbose_name=_("taxonomy"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, related_name="children", null=True, blank=True,
                               verbose_name=pgettext_lazy("taxonomy", "parent term"))
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    name = models.CharField(pgettext_lazy("taxonomy", "name"), max_length=NAME_MAX_LENGTH)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("taxonomy", "active"), default=True)

    objects = models.Manager()
    active = ActiveTermManager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["taxonomy_id", "sort_order", "code"]
        constraints = [
            # Deferred to the commit: an import may swap two terms' names or codes in one transaction.
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique",
                                    deferrable=models.Deferrable.DEFERRED),
            models.UniqueConstraint(fields=["taxonomy", "name"], name="taxonomy_term_name_unique",
                                    deferrable=models.Deferrable.DEFERRED),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="taxonomy_term_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        # Pages in every site schema may point here; a delete could not reach them.
        raise models.ProtectedError(gettext("A term can only be deactivated, not deleted"), {self})
