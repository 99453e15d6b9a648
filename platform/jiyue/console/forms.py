from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tenants.registry.models import OrgUnit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class SiteApplicationForm(forms.Form):
    org_unit = forms.ModelChoiceField(OrgUnit.objects.all(), label="开办单位",
                                      error_messages={"invalid_choice": "所选单位不存在"})
    name = forms.CharField(label="网站名称", max_length=100)
    short_code = forms.CharField(label="网站代号", max_length=40,
                                 help_text="小写字母、数字和下划线，用于后台地址")
    hosts = forms.CharField(label="域名", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="每行一个，第一个为主域名")
    sponsor = forms.CharField(label="主办单位", max_length=100)
    operator = forms.CharField(label="承办单位", max_length=100, required=False)
    identity_code = forms.CharField(label="网站标识码", max_length=10, required=False)

    def clean_hosts(self):
        return [line.strip() for line in self.cleaned_data["hosts"].splitlines() if line.strip()]
