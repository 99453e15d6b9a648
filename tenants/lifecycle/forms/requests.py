"""Forms of the applicants' and reviewers' console pages: the opening application, a
review decision, the resubmission of a returned request (one form per kind) and a
withdrawal. They only parse what was typed; the services check the rules."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.columns.column_templates import TEMPLATES
from tenants.registry.models import OrgUnit, SiteKind

from ..models import Decision, RequestKind
from .sites import ChangeFilingForm
from ..services.opening import FIELDS as OPENING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The column-plan templates people can choose from, in words (the keys of TEMPLATES).
COLUMN_PLAN_LABELS = {
    "portal": pgettext_lazy("column plan", "Government portal columns"),
    "department": pgettext_lazy("column plan", "Department site columns"),
}


def column_plan_choices():
    return [("", pgettext_lazy("column plan", "The default of the site's kind"))] + [
        (key, COLUMN_PLAN_LABELS.get(key, key)) for key in TEMPLATES]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class OpeningFieldsForm(forms.Form):
    """The fields of an opening application (services.opening.FIELDS)."""

    name = forms.CharField(label=_("Site name"), max_length=100)
    kind = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Kind of site"), choices=SiteKind.choices)
    short_code = forms.CharField(
        label=_("Site code"), max_length=40,
        help_text=_("Lowercase letters, digits and underscores; used in the back-office address"))
    hosts = forms.CharField(label=_("Domains"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line; the first one is the primary domain"))
    sponsor = forms.CharField(label=_("Sponsor"), max_length=100)
    operator = forms.CharField(label=_("Operator"), max_length=100, required=False)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    column_plan = forms.ChoiceField(label=_("Column plan template"), choices=column_plan_choices, required=False)
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_hosts(self):
        return _lines(self.cleaned_data["hosts"])

    @classmethod
    def initial_from(cls, payload: dict) -> dict:
        initial = {field: payload.get(field, "") for field in OPENING_FIELDS}
        hosts = payload.get("hosts") or []
        initial["hosts"] = "\n".join(hosts) if isinstance(hosts, list) else hosts
        return initial

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in OPENING_FIELDS if field in self.cleaned_data}


class OpeningForm(OpeningFieldsForm):
    """开办申请: the unit is the person's own, or any for the provincial office and ops."""

    field_order = ["org_unit"]
    org_unit = forms.ModelChoiceField(OrgUnit.objects.none(), label=_("Applying unit"),
                                      error_messages={"invalid_choice": _("Choose one of the units listed")})
    attachments = MultipleFileField(label=pgettext_lazy("lifecycle form", "Attachments"), required=False,
                                    help_text=_("Optional: the documents that support the application (PDF, "
                                                "Word, images)"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.order_fields(["org_unit", *OPENING_FIELDS, "attachments"])


class DecisionForm(forms.Form):
    """A reviewer's decision on the step shown (its id travels with the form, so a
    stale page is refused rather than deciding a later step)."""

    step_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=pgettext_lazy("lifecycle form", "Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=pgettext_lazy("lifecycle form", "Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when rejecting or returning the request"))


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class TemporaryOfflineResubmitForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"), max_length=200)
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    planned_return_on = forms.DateField(label=_("Planned return date"), widget=DATE)

    @classmethod
    def initial_from(cls, payload: dict) -> dict:
        return {field: payload.get(field, "") for field in ("reason", "starts_on", "planned_return_on")}

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"reason": data["reason"], "starts_on": data["starts_on"].isoformat(),
                "planned_return_on": data["planned_return_on"].isoformat()}


class PermanentOfflineResubmitForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("lifecycle form", "Reason"),
                             widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_from(cls, payload: dict) -> dict:
        return {"reason": payload.get("reason", "")}

    def changes(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class ChangeResubmitForm(ChangeFilingForm):
    """The values the filing asks for, prefilled with what it asked for before and the
    site's current values elsewhere (the service keeps only what differs from the site).
    The fields are those of the filing form of the site page."""

    INFO = ("name", "sponsor", "operator", "responsible_person", "contact_phone", "contact_email")

    @classmethod
    def initial_from(cls, payload: dict, site) -> dict:
        initial = {field: getattr(site, field, "") or "" for field in cls.INFO}
        initial["domain"] = site.primary_host
        initial.update(payload.get("changes") or {})
        initial["reason"] = payload.get("reason", "")
        return initial

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"changes": {field: data[field] for field in (*self.INFO, "domain") if data.get(field) is not None},
                "reason": data.get("reason", "")}


RESUBMIT_FORMS = {
    RequestKind.OPENING: OpeningFieldsForm,
    RequestKind.TEMPORARY_OFFLINE: TemporaryOfflineResubmitForm,
    RequestKind.PERMANENT_OFFLINE: PermanentOfflineResubmitForm,
    RequestKind.CHANGE: ChangeResubmitForm,
}


def resubmit_form(lifecycle_request, data=None):
    """The resubmission form of the request's kind, prefilled with its current payload."""
    form_class = RESUBMIT_FORMS[lifecycle_request.kind]
    if form_class is ChangeResubmitForm:
        initial = form_class.initial_from(lifecycle_request.payload, lifecycle_request.site)
    else:
        initial = form_class.initial_from(lifecycle_request.payload)
    return form_class(data, initial=initial, prefix="resubmit")
