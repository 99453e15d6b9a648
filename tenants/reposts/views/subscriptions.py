"""Subscriptions of this site's columns (订阅): new items of a source come in by themselves."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_library.reposting import queries
from shared_library.reposting.models import Subscription
from shared_library.reposting.services import subscriptions as service
from shared_library.reposting.services.reposts import RepostRefused, may_repost_into
from tenants.columns.models import ColumnPage

from ..forms import SubscriptionForm


def index(request):
    site = request.tenant
    sources = [(other, column_id, title) for other in queries.source_sites(site)
               for column_id, title in service.source_columns(other)]
    form = SubscriptionForm(request.POST or None, source_columns=sources)
    if request.method == "POST" and form.is_valid():
        kind, _sep, rest = form.cleaned_data["source"].partition(":")
        options = {"topic_code": rest} if kind == "topic" else {}
        if kind == "column":
            site_id, _sep, column_id = rest.partition(":")
            options = {"source_site": next(other for other, *_rest in sources if str(other.pk) == site_id),
                       "source_column_id": int(column_id)}
        try:
            service.subscribe(target_site=site, column_id=form.cleaned_data["column"],
                              mode=form.cleaned_data["mode"], acting_user=request.user, **options)
        except RepostRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Subscribed: new items of the source will come into the column."))
            return redirect("jiyue_subscriptions")
    subscriptions = list(Subscription.objects.filter(target_site=site, active=True)
                         .select_related("source_site").order_by("-created_at"))
    titles = dict(ColumnPage.objects.filter(pk__in=[item.column_id for item in subscriptions])
                  .values_list("pk", "title"))
    return TemplateResponse(request, "reposts/admin/subscriptions.html", {
        "page_title": _("Subscriptions"), "form": form, "may_repost": may_repost_into(request.user, site),
        "rows": [(item, titles.get(item.column_id, "")) for item in subscriptions],
        "topics": dict(form.fields["source"].choices[1][1]),
    }, status=400 if request.method == "POST" else 200)


@require_POST
def cancel(request, subscription_id):
    subscription = get_object_or_404(Subscription, pk=subscription_id, target_site=request.tenant, active=True)
    try:
        service.unsubscribe(subscription, acting_user=request.user)
    except RepostRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Subscription cancelled."))
    return redirect("jiyue_subscriptions")
