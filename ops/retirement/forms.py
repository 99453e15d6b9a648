"""Console forms of site migrations."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RuleMatch


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class JobForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name of the retired site"), max_length=100)
    target = forms.CharField(label=_("target site (short code)"), max_length=40)
    source = forms.CharField(label=_("retired platform site (short code, optional)"), max_length=40, required=False)
    start_urls = forms.CharField(label=_("start URLs (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    allowed_hosts = forms.CharField(label=_("allowed hosts (one per line; default: the start URLs' hosts)"),
                                    widget=forms.Textarea(attrs={"rows": 2}), required=False)
    ignore_robots_reason = forms.CharField(label=_("ignore robots.txt, because"), max_length=200, required=False)
    requests_per_second = forms.FloatField(label=_("requests per second per host"), initial=4.0, min_value=0.01)
    concurrency = forms.IntegerField(label=_("parallel requests per host"), initial=2, min_value=1, max_value=16)
    max_pages = forms.IntegerField(label=_("maximum number of URLs fetched"), initial=100_000, min_value=1)
    max_depth = forms.IntegerField(label=_("maximum link depth"), initial=20, min_value=0, max_value=100)

    def clean_start_urls(self):
        return _lines(self.cleaned_data["start_urls"])

    def clean_allowed_hosts(self):
        return _lines(self.cleaned_data["allowed_hosts"])


class RuleForm(forms.Form):
    match_on = forms.ChoiceField(label=_("match on"), choices=RuleMatch.choices)
    pattern = forms.CharField(label=_("pattern"), max_length=300)
    target_column_id = forms.IntegerField(label=_("target column ID (blank: archive only)"), required=False)
    content_type = forms.ChoiceField(label=_("content type"), required=False, choices=[
        ("", _("as extracted")), ("article", _("news")), ("policy", _("policy document")),
        ("announcement", _("announcement"))])
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class MappingUploadForm(forms.Form):
    file = forms.FileField(label=_("mapping CSV (old_url,new_url,note)"))
