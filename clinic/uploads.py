"""Uploaded files are read no further than the largest photo the app accepts.

Django writes every uploaded file to memory or a temporary file before a form sees it, whatever its
size. This handler, first in line, passes on no more than `PHOTO_MAX_BYTES` of a file (what was
spooled is dropped with its temporary file) and then hands over an empty stand-in that still knows
how large the file was, so the form refuses it with a message and the rest of the form is kept.
"""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(SimpleUploadedFile):
    """A file that was larger than the limit: its name and size, none of its content."""

    def __init__(self, name: str, size: int, content_type: str):
        super().__init__(name, b"", content_type)
        self.size = size


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.PHOTO_MAX_BYTES:
            # Nothing more reaches the handlers that write the file.
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.received > settings.PHOTO_MAX_BYTES:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None
