from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class PolicyDocumentForm(WagtailAdminPageForm):
    """Says which taxonomy a refused term belongs to (Django's message does not)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("topic", "genre"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = _(
                    "%(label)s does not exist or has been deactivated; choose one from the list"
                ) % {"label": self.fields[name].label}

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.index_number:
            from .services.index_numbers import ensure_index_number_can_be_issued

            try:
                ensure_index_number_can_be_issued()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data
