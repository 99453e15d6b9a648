"""Forms of the site-side lifecycle pages: they parse input only; the services decide."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiyue.identity.models import PlatformRole, SiteRole
from tenants.registry.models import OrgUnit, OrgUnitKind

from ..models import CheckResult, ClosureItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SecurityCheckForm(forms.Form):
    result = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Result"), choices=CheckResult.choices)
    summary = forms.CharField(label=pgettext_lazy("lifecycle form", "Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.FileField(label=_("Check report"), required=False)


class GoLiveForm(forms.Form):
    identity_code = forms.CharField(label=_("Site identification code"), max_length=10, required=False)


class TemporaryOfflineForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"), max_length=200)
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DATE,
                                help_text=_("Leave empty to start as soon as it is approved"))
    planned_return_on = forms.DateField(label=_("Planned return date"), widget=DATE)


class PermanentOfflineForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ClosureItemForm(forms.Form):
    item = forms.ChoiceField(choices=ClosureItem.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=pgettext_lazy("lifecycle form", "Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    upload = forms.FileField(label=pgettext_lazy("lifecycle form", "Attachment"), required=False)


class ChangeFilingForm(forms.Form):
    """Bound with the site's current values as initial data: `changes()` sends only
    the fields the person changed."""

    name = forms.CharField(label=_("Site name"), max_length=100)
    sponsor = forms.CharField(label=_("Sponsor"), max_length=100)
    operator = forms.CharField(label=_("Operator"), max_length=100, required=False)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    domain = forms.CharField(label=_("Primary domain"), max_length=253, required=False)
    reason = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_for(site) -> dict:
        return {"name": site.name, "sponsor": site.sponsor, "operator": site.operator,
                "responsible_person": site.responsible_person, "contact_phone": site.contact_phone,
                "contact_email": site.contact_email, "domain": site.primary_host or ""}

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data if field != "reason"}


class UsernameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Username"), max_length=150, **kwargs)

    def clean(self, value):
        username = super().clean(value).strip()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(_("There is no account with the username %(username)s")
                                        % {"username": username}) from None


class SiteRoleForm(forms.Form):
    user = UsernameField()
    role = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Role"), choices=SiteRole.choices)


class PlatformRoleForm(forms.Form):
    user = UsernameField()
    role = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Role"), choices=PlatformRole.choices)
    org_unit = forms.ModelChoiceField(
        OrgUnit.objects.filter(kind=OrgUnitKind.GOVERNMENT).order_by("level", "name"), required=False,
        label=_("Limited to the office of"), empty_label=_("The whole province"),
        help_text=_("Approvers only: the government whose office reviews the requests of the units under it"))


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Action"), required=False)
    date_from = forms.DateField(label=pgettext_lazy("lifecycle form", "From"), required=False, widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy("lifecycle form", "To"), required=False, widget=DATE)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + list(actions)
