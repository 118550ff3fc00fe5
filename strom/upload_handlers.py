"""A bound on every upload, first in FILE_UPLOAD_HANDLERS.

Django stores an uploaded file whole (in memory, then in a temporary file) before any form
looks at its size. This handler passes the files of a request on to Django's handlers until
together they are larger than the largest file any form accepts (the HSDS import's), then
stops the upload: an oversized upload fills neither memory nor disk. It marks the request
(`request.upload_too_large`), so that a form can say why the file is missing. Each form
still checks its own, smaller limit.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MB = 1024 * 1024


def largest_upload():
    """Bytes: the largest file any form accepts."""
    from services import hsds

    return max(settings.STROM_UPLOAD_MAX_MB * MB, hsds.MAX_BYTES)


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = largest_upload()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file
