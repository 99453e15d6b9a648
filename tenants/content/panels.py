"""Read-only panels of the content edit forms."""
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class LinkedInterpretationsPanel(Panel):
    """On a policy document: the interpretations that point at it (政策解读), so that the
    editor sees both directions of the link."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Related interpretations"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "content/panels/linked_interpretations.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["interpretations"] = (page.interpretations.order_by("-publish_time")
                                          if page is not None and page.pk else [])
            return context
