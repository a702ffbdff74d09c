"""Uploaded files are read no further than the largest photos the app accepts.

Django writes every uploaded file to memory or a temporary file before a form sees it, whatever its
size. This handler, first in line, passes on no more than `PHOTO_MAX_BYTES` of a file (what was
spooled is dropped with its temporary file) and then hands over an empty stand-in that still knows
how large the file was, so the form refuses it with a message and the rest of the form is kept.
The import's pages take one spreadsheet at a time, bounded by `IMPORT_MAX_BYTES` instead.

A request that says, before its body is read, that it is larger than a form of photos can be is
refused whole by `UploadSizeMiddleware`: none of it is read, on a slow connection minutes saved.
"""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

# The import's pages (imports/urls.py) take one file at a time up to IMPORT_MAX_BYTES.
IMPORT_PATH = "/imports/"


class OversizedUpload(SimpleUploadedFile):
    """A file that was larger than the limit: its name and size, none of its content."""

    def __init__(self, name: str, size: int, content_type: str):
        super().__init__(name, b"", content_type)
        self.size = size


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    @property
    def limit(self) -> int:
        # A file brought to the import is a spreadsheet, not a photo: it has its own bound.
        if self.request is not None and self.request.path.startswith(IMPORT_PATH):
            return settings.IMPORT_MAX_BYTES
        return settings.PHOTO_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            # Nothing more reaches the handlers that write the file.
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None


def max_request_bytes(path: str = "") -> int:
    """The largest body a form of ours sends: its photos at their limit (one file to import, on the
    import's pages), and its fields."""
    if path.startswith(IMPORT_PATH):
        return settings.IMPORT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_NUMBER_FILES * settings.PHOTO_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class UploadSizeMiddleware:
    """Refuse, from its Content-Length alone, a multipart body larger than any form of ours sends.

    Before any view, and before the CSRF check reads the body: whatever the page, nothing of it is
    read. The page says how large photos may be, and leads back to the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_request_bytes(request.path):
                context = {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES, "limit": settings.PHOTO_MAX_BYTES}
                if request.path.startswith(IMPORT_PATH):
                    context = {"spreadsheet": True, "limit": settings.IMPORT_MAX_BYTES}
                return render(request, "413.html", context, status=413)
        return self.get_response(request)
