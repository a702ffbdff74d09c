from django.urls import path

from . import pack_views

app_name = "vigilance"

urlpatterns = [
    path("<int:complication_id>/", pack_views.pack, name="pack"),
    path("<int:complication_id>/<slug:code>/", pack_views.form_copy, name="form"),
    path("<int:complication_id>/<slug:code>.pdf", pack_views.form_pdf, name="pdf"),
]
