from django.db import models


class Taxonomy(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = "分类体系"
        verbose_name_plural = "分类体系"

    def __str__(self):
        return self.name


class ActiveTermManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_active=True)


class Term(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms", verbose_name="分类体系")
    code = models.CharField("代码", max_length=20)
    name = models.CharField("名称", max_length=60)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = models.Manager()
    active = ActiveTermManager()

    class Meta:
        verbose_name = "分类"
        verbose_name_plural = "分类"
        ordering = ["taxonomy_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique"),
            models.UniqueConstraint(fields=["taxonomy", "name"], name="taxonomy_term_name_unique"),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        # Pages in every site schema may point here; a delete could not reach them.
        raise models.ProtectedError("分类只能停用，不能删除", {self})
