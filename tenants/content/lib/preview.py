"""The widths the editor previews a page at: the public theme's smallest phone
(360 px, the width the themes are built down to), a tablet and a desktop; desktop first,
as most readers of a government site see it. The labels are Wagtail's own."""
from wagtail.models import PreviewableMixin

_WIDTHS = {"mobile": 360, "tablet": 768, "desktop": 1280}

PREVIEW_SIZES = [dict(size, device_width=_WIDTHS[size["name"]]) for size in PreviewableMixin.DEFAULT_PREVIEW_SIZES]
DEFAULT_PREVIEW_SIZE = "desktop"
