from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "jiyue.console"
    label = "console"
    verbose_name = "省级控制台"
