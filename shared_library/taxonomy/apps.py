from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "shared_library.taxonomy"
    label = "taxonomy"
    verbose_name = "分类体系"
