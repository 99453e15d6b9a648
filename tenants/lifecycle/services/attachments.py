"""Files of lifecycle requests, in the default storage (S3 when configured) under
lifecycle/<request id>/."""
from tenants.media.validators import check_upload

from ..models import Attachment


def add_attachment(request, upload, *, acting_user, purpose: str = "application") -> Attachment:
    """Store an uploaded file with the request. A file whose row never commits (the
    transaction rolled back later) is removed by the daily orphan sweep
    (services.schedule.remove_orphaned_files); a failure here removes it at once."""
    # The same policy as a site's documents: by content, no executables, no macros.
    check_upload(upload, kind="document")
    upload.seek(0)
    attachment = Attachment(request=request, name=upload.name[:200], purpose=purpose, uploaded_by=acting_user)
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment
