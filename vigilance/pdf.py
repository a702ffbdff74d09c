"""Printable PDFs, written by WeasyPrint from a template; no fetch leaves the machine."""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def pdf_from_template(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    # A template names no remote file; one that did would wait on the network, or leak the report.
    # Only data: URLs are read, and any other stops the PDF rather than leaving a hole in it.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
