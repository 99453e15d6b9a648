from django import forms

SECRECY_LABEL = "保密审查：经审查，本内容不涉及国家秘密、工作秘密和敏感信息（不涉密）"


class SecrecyApprovalForm(forms.Form):
    secrecy_confirmed = forms.BooleanField(label=SECRECY_LABEL, required=True,
                                           error_messages={"required": "通过前须确认保密审查结论为“不涉密”"})
    acknowledge_warnings = forms.BooleanField(label="已阅内容检查提示，确认可以发布", required=False)
    comment = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
