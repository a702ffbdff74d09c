from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI, vendored under static/vendor/swagger-ui/ (its template loads nothing from elsewhere),
    with its settings in a script of their own: the Content-Security-Policy runs no inline script or style."""

    template_name = "api/docs.html"
    url_name = "api:schema"
