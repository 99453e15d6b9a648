from django import forms
from django.utils.translation import gettext_lazy as _

SECRECY_LABEL = _("Secrecy review: I have reviewed this content and it involves no state secrets, work secrets or "
                  "sensitive information (contains no classified information)")


class SecrecyApprovalForm(forms.Form):
    secrecy_confirmed = forms.BooleanField(label=SECRECY_LABEL, required=True, error_messages={
        "required": _("Before approving, confirm that the secrecy review concludes “contains no classified "
                      "information”")})
    acknowledge_warnings = forms.BooleanField(
        label=_("I have read the content check warnings and confirm that the content may be published"),
        required=False)
    comment = forms.CharField(label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
