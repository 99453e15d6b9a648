from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "tenants.media"
    label = "sitemedia"
    verbose_name = "图片与文件"
