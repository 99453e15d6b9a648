from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .lib.csv_formats import format_description
from .lib.terms import BLOCK_WORD, WARN_WORD
from .models import DictionaryKind

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The values are the CSV's severity words, which ``clean_term`` parses.
SEVERITY_CHOICES = [
    ("", pgettext_lazy("check severity", "Default")),
    (BLOCK_WORD, pgettext_lazy("check severity", "Block")),
    (WARN_WORD, pgettext_lazy("check severity", "Warn")),
]


class DictionaryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Dictionary name"), max_length=60)
    kind = forms.ChoiceField(label=pgettext_lazy("check dictionary", "Kind"), choices=DictionaryKind.choices)
    site = forms.ModelChoiceField(
        queryset=None, label=pgettext_lazy("check dictionary", "Site"), required=False,
        error_messages={"invalid_choice": gettext_lazy("The selected site does not exist or you cannot manage it")})
    description = forms.CharField(label=pgettext_lazy("check dictionary", "Description"), max_length=200,
                                  required=False)

    def __init__(self, *args, sites, allow_platform: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_platform = allow_platform
        self.fields["site"].queryset = sites
        self.fields["site"].empty_label = _("Province-wide (all sites)") if allow_platform else None
        self.fields["site"].required = not allow_platform


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), error_messages={
        "required": gettext_lazy("Choose the CSV file to import"), "empty": gettext_lazy("The file is empty")})
    note = forms.CharField(label=gettext_lazy("Version note"), max_length=200, required=False)
    activate = forms.BooleanField(label=gettext_lazy("Activate after import"), required=False, initial=True)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("UTF-8 encoded; row 1 is the header: %(header)s") % {
            "header": format_description(kind)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most %(size)s MB)")
                                        % {"size": MAX_UPLOAD_BYTES // 1024 // 1024})
        return upload


class TermForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("dictionary entry", "Word"), max_length=100)
    replacement = forms.CharField(label=pgettext_lazy("dictionary entry", "Correct form"), max_length=200,
                                  required=False)
    category = forms.CharField(label=pgettext_lazy("dictionary entry", "Category"), max_length=30, required=False)
    severity = forms.ChoiceField(label=pgettext_lazy("dictionary entry", "Severity"), choices=SEVERITY_CHOICES,
                                 required=False)
    note = forms.CharField(label=pgettext_lazy("dictionary entry", "Remarks"), max_length=200, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == DictionaryKind.TYPO:
            self.fields["text"].label = pgettext_lazy("dictionary entry", "Wrong form")
        elif kind == DictionaryKind.LEADER_TITLE:
            self.fields["text"].label = pgettext_lazy("dictionary entry", "Name")
            self.fields["replacement"].label = pgettext_lazy("dictionary entry", "Correct titles")
            self.fields["replacement"].help_text = _("Separate several titles with “、”")
            del self.fields["category"]
        else:
            del self.fields["replacement"]


class TitlesForm(forms.Form):
    titles = forms.CharField(
        label=gettext_lazy("Titles checked"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Separated by “、” or line breaks. A name next to one of these titles is reported "
                               "when that title is not one of the person's correct titles"))
