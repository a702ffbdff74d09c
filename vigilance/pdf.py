"""Printable PDFs, written by WeasyPrint from a template; no fetch leaves the machine."""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import default_url_fetcher


def _no_network(url: str, *args, **kwargs):
    # A template names no remote file; one that did would wait on the network, or leak the report.
    if not url.startswith("data:"):
        raise ValueError(f"PDFs fetch nothing: {url}")
    return default_url_fetcher(url, *args, **kwargs)


def pdf_from_template(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_network).write_pdf()
