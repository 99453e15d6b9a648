from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.registry.models import OrgUnit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Incorrect username or password."),
        "inactive": _("This account has been deactivated."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


class SiteApplicationForm(forms.Form):
    org_unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("Owning unit"),
                                      error_messages={"invalid_choice": _("The selected organization does not exist")})
    name = forms.CharField(label=_("Site name"), max_length=100)
    short_code = forms.CharField(
        label=_("Site code"), max_length=40,
        help_text=_("Lowercase letters, digits and underscores; used in the back-office address"))
    hosts = forms.CharField(label=_("Domains"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line; the first one is the primary domain"))
    sponsor = forms.CharField(label=_("Sponsor"), max_length=100)
    operator = forms.CharField(label=_("Operator"), max_length=100, required=False)
    identity_code = forms.CharField(label=_("Site identification code"), max_length=10, required=False)

    def clean_hosts(self):
        return [line.strip() for line in self.cleaned_data["hosts"].splitlines() if line.strip()]


# -- taxonomies (主题分类, 体裁分类…) -------------------------------------------------------------

class TaxonomyForm(forms.Form):
    code = forms.CharField(label=pgettext_lazy("taxonomy", "Code"), max_length=40,
                           help_text=_("Letters, digits, “-” and “_”; used in addresses and on the command line"))
    name = forms.CharField(label=pgettext_lazy("taxonomy", "Name"), max_length=60)


def _parent_choices(tree, exclude_ids=frozenset(), keep_id=None):
    choices = [("", _("(top level)"))]
    for term in tree:
        if term.pk in exclude_ids or (not term.is_active and term.pk != keep_id):
            continue
        choices.append((str(term.pk), "\u3000" * term.depth + term.name))
    return choices


class TermForm(forms.Form):
    """Adding a term (with ``code``) or changing one (rename, move, reorder)."""

    code = forms.CharField(label=pgettext_lazy("taxonomy", "Code"), max_length=20,
                           help_text=_("Letters, digits, “-”, “_” and “.”; cannot be changed later"))
    name = forms.CharField(label=pgettext_lazy("taxonomy", "Name"), max_length=60)
    parent = forms.ChoiceField(label=pgettext_lazy("taxonomy", "Parent term"), required=False)
    sort_order = forms.IntegerField(label=pgettext_lazy("taxonomy", "Sort order"), min_value=0, required=False,
                                    help_text=_("Empty: after its siblings"))

    def __init__(self, *args, tree, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        if term is None:
            self.fields["parent"].choices = _parent_choices(tree)
        else:
            del self.fields["code"]
            below = {child.pk for child in tree.descendants(term)} | {term.pk}
            self.fields["parent"].choices = _parent_choices(tree, below, keep_id=term.parent_id)
            self.fields["sort_order"].required = True
            self.fields["sort_order"].help_text = ""

    def clean_parent(self):
        value = self.cleaned_data["parent"]
        return self.tree.by_id[int(value)] if value else None


class TermImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the terms the file does not list"), required=False,
        help_text=_("Unchecked: terms absent from the file are left as they are"))
