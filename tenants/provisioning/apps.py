from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "tenants.provisioning"
    label = "provisioning"
    verbose_name = "网站开通"
