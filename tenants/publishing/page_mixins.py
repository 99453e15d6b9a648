"""`AtomicPublishingMixin`: page models take it so that publishing, unpublishing, moving,
copying and deleting a page commit or roll back together with its publish event.

What Wagtail 8.0.1 does on its own (wagtail/actions/*):
- publish (`Page.publish` -> `PublishPageRevisionAction`): no transaction. The page row
  is saved (and committed, outside an outer transaction) before `page_published` is sent.
- unpublish (`Page.unpublish` -> `UnpublishPageAction`): no transaction; the page is
  saved, then the log entry, then `page_unpublished`.
- move (`Page.move` -> `MovePageAction`): only the tree update is atomic;
  `post_page_move` and the log entry come after that block has committed.
- delete (`Page.delete` -> `DeletePageAction`): Django's delete collector is atomic and
  sends `post_delete` inside it, but the log entries and treebeard's numchild update of
  the parent run before it, outside.
- copy (`Page.copy` -> `CopyPageAction`, which sends `page_published` for a live copy):
  no transaction.
The mixin runs each of these methods in `transaction.atomic()` (a savepoint when the
caller already has a transaction). `save_revision()` is atomic in Wagtail already.

Code that runs Wagtail's action classes directly instead of these methods, such as the
admin's single-page edit ("publish"), move and unpublish views, is covered by the
request's transaction instead (`middleware.AtomicBackOfficeWritesMiddleware`); outside
a request such code must open its own transaction (a warning is logged otherwise)."""
from django.db import transaction


class AtomicPublishingMixin:
    """Put before `Page` in the bases: `class NewsPage(AtomicPublishingMixin, Page)`."""

    def publish(self, *args, **kwargs):
        with transaction.atomic():
            return super().publish(*args, **kwargs)

    def unpublish(self, *args, **kwargs):
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)

    def move(self, *args, **kwargs):
        with transaction.atomic():
            return super().move(*args, **kwargs)

    def copy(self, *args, **kwargs):
        with transaction.atomic():
            return super().copy(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            return super().delete(*args, **kwargs)

    publish.alters_data = True
    unpublish.alters_data = True
    move.alters_data = True
    copy.alters_data = True
    delete.alters_data = True
