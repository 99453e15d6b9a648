from django import forms

from .lib.csv_formats import format_description
from .models import DictionaryKind

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SEVERITY_CHOICES = [("", "默认"), ("禁止", "禁止"), ("提示", "提示")]


class DictionaryForm(forms.Form):
    name = forms.CharField(label="词库名称", max_length=60)
    kind = forms.ChoiceField(label="类型", choices=DictionaryKind.choices)
    site = forms.ModelChoiceField(queryset=None, label="所属网站", required=False,
                                  error_messages={"invalid_choice": "所选网站不存在或无权管理"})
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, sites, allow_platform: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_platform = allow_platform
        self.fields["site"].queryset = sites
        self.fields["site"].empty_label = "全省通用（所有网站）" if allow_platform else None
        self.fields["site"].required = not allow_platform


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV文件", error_messages={"required": "请选择要导入的CSV文件",
                                                           "empty": "文件为空"})
    note = forms.CharField(label="版本说明", max_length=200, required=False)
    activate = forms.BooleanField(label="导入后立即启用", required=False, initial=True)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"UTF-8编码，第1行为表头：{format_description(kind)}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"文件过大（最大{MAX_UPLOAD_BYTES // 1024 // 1024}MB）")
        return upload


class TermForm(forms.Form):
    text = forms.CharField(label="词语", max_length=100)
    replacement = forms.CharField(label="正确写法", max_length=200, required=False)
    category = forms.CharField(label="分类", max_length=30, required=False)
    severity = forms.ChoiceField(label="级别", choices=SEVERITY_CHOICES, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == DictionaryKind.TYPO:
            self.fields["text"].label = "错误写法"
        elif kind == DictionaryKind.LEADER_TITLE:
            self.fields["text"].label = "姓名"
            self.fields["replacement"].label = "正确职务"
            self.fields["replacement"].help_text = "多个职务用“、”分隔"
            del self.fields["category"]
        else:
            del self.fields["replacement"]


class TitlesForm(forms.Form):
    titles = forms.CharField(label="检查的职务", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="用“、”或换行分隔；姓名与其中某个职务相邻、而该职务不是此人的正确职务时提示")
