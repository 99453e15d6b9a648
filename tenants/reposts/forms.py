"""The library browser's filters and the repost action, in the back office of the site
that reposts."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shared_library.reposting.models import RepostMode
from shared_library.resources.models.resources import CONTENT_TYPE_LABELS
from shared_library.taxonomy.queries import active_terms
from tenants.columns.models import ColumnPage

CONTENT_TYPE_CHOICES = [("", pgettext_lazy("library browser", "All types")), *CONTENT_TYPE_LABELS.items()]
MAX_QUERY_LENGTH = 100


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("library browser", "Keywords"), required=False,
                        max_length=MAX_QUERY_LENGTH)
    source = forms.TypedChoiceField(label=_("Source site"), required=False, coerce=int, empty_value=None)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=CONTENT_TYPE_CHOICES)
    date_from = forms.DateField(label=_("Published from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Published until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", pgettext_lazy("library browser", "All sites"))] + [(site.pk, site.name) for site in sources]
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (term.code, term.name) for term in active_terms("topic")]


class RepostForm(forms.Form):
    resources = forms.TypedMultipleChoiceField(coerce=int, error_messages={
        "required": _("Choose at least one item to repost.")})
    column = forms.TypedChoiceField(label=_("Into column"), coerce=int)
    mode = forms.ChoiceField(label=_("Repost mode"), choices=RepostMode.choices, initial=RepostMode.REFERENCE,
                             widget=forms.RadioSelect)

    def __init__(self, *args, resource_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [(pk, pk) for pk in resource_ids]
        self.fields["column"].choices = column_choices()


def column_choices(column_type=""):
    """The site's columns (of one type, if given), indented by depth, in tree order."""
    columns = ColumnPage.objects.order_by("path").only("pk", "title", "depth")
    if column_type:
        columns = columns.filter(column_type=column_type)
    top = min((column.depth for column in columns), default=0)
    return [(column.pk, "\u3000" * (column.depth - top) + column.title) for column in columns]


class MandateForm(forms.Form):
    """Marking one of the site's items mandatory for sites below it."""

    targets = forms.TypedMultipleChoiceField(label=_("Mandatory for"), coerce=int,
                                             widget=forms.CheckboxSelectMultiple, error_messages={
                                                 "required": _("Choose at least one site the repost is mandatory for.")})
    column_type = forms.ChoiceField(label=_("Into columns of type"))
    mode = forms.ChoiceField(label=_("Repost mode"), choices=RepostMode.choices, initial=RepostMode.REFERENCE,
                             widget=forms.RadioSelect)
    deadline = forms.DateTimeField(label=_("Deadline"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), input_formats=["%Y-%m-%dT%H:%M"])
    note = forms.CharField(label=pgettext_lazy("mandate", "Note"), required=False, max_length=200)

    def __init__(self, *args, sites=(), column_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = [(site.pk, site.name) for site in sites]
        self.fields["column_type"].choices = list(column_types)


class MandateAcceptForm(forms.Form):
    column = forms.TypedChoiceField(label=_("Into column"), coerce=int)
    mode = forms.ChoiceField(label=_("Repost mode"), choices=RepostMode.choices, widget=forms.RadioSelect)

    def __init__(self, *args, column_type="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(pk, title) for pk, title in column_choices(column_type=column_type)]


class SubscriptionForm(forms.Form):
    """A column of this site subscribes to a column of another site or to a topic."""

    column = forms.TypedChoiceField(label=_("Into column"), coerce=int)
    source = forms.ChoiceField(label=_("Source"), help_text=_(
        "A column of another site (as the library knows it), or a topic from all sites"))
    mode = forms.ChoiceField(label=_("Repost mode"), choices=RepostMode.choices, initial=RepostMode.REFERENCE,
                             widget=forms.RadioSelect)

    def __init__(self, *args, source_columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = column_choices()
        topics = [(f"topic:{term.code}", term.name) for term in active_terms("topic")]
        columns = [(f"column:{site.pk}:{column_id}", f"{site.name} / {title}")
                   for site, column_id, title in source_columns]
        self.fields["source"].choices = [(_("Columns of other sites"), columns), (_("Topics"), topics)]
