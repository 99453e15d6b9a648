from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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
