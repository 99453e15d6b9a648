"""The editor guide: a page of the back office, in the editor's language."""
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

GUIDES = {"zh-hans": "backoffice/guide/zh_hans.html", "en": "backoffice/guide/en.html"}


def editor_guide(request):
    language = translation.get_language() or "zh-hans"
    return TemplateResponse(request, "backoffice/guide.html", {
        "page_title": _("Editor guide"), "guide_template": GUIDES.get(language, GUIDES["zh-hans"]),
    })
