from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms",
                                 verbose_name=_("taxonomy"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(pgettext_lazy("taxonomy", "name"), max_length=60)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("taxonomy", "active"), default=True)

    objects = models.Manager()
    active = ActiveTermManager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["taxonomy_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique"),
            models.UniqueConstraint(fields=["taxonomy", "name"], name="taxonomy_term_name_unique"),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        # Pages in every site schema may point here; a delete could not reach them.
        raise models.ProtectedError(gettext("A term can only be deactivated, not deleted"), {self})
