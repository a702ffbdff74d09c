"""Printable PDFs, written by WeasyPrint from a template; no fetch leaves the machine."""

from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint tells Pillow, for the whole process, to accept truncated images; a patient's photo that
# arrived cut short must still be refused (photos.images), and these PDFs draw no image.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def pdf_from_template(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    # A template names no remote file; one that did would wait on the network, or leak the report.
    no_network = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    return HTML(string=html, url_fetcher=no_network).write_pdf()
