"""The applicants' and reviewers' pages (under /lifecycle/ on the console host): apply,
my applications, the review queue, a request's page with its actions and files, and
the notifications."""
from django.urls import path

from .views import requests

urlpatterns = [
    path("apply/", requests.apply, name="lifecycle_apply"),
    path("mine/", requests.my_requests, name="lifecycle_mine"),
    path("queue/", requests.queue, name="lifecycle_queue"),
    path("requests/<int:request_id>/", requests.request_detail, name="lifecycle_request"),
    path("requests/<int:request_id>/decide/", requests.decide, name="lifecycle_request_decide"),
    path("requests/<int:request_id>/resubmit/", requests.resubmit, name="lifecycle_request_resubmit"),
    path("requests/<int:request_id>/withdraw/", requests.withdraw, name="lifecycle_request_withdraw"),
    path("requests/<int:request_id>/attachments/<int:attachment_id>/", requests.attachment,
         name="lifecycle_attachment"),
    path("notifications/", requests.notifications, name="lifecycle_notifications"),
    path("notifications/read/", requests.mark_notifications_read, name="lifecycle_notifications_read"),
]
