from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "tenants.review"
    label = "review"
    verbose_name = "审核"
