from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "tenants.publishing"
    label = "publishing"
    verbose_name = "发布事件"
