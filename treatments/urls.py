from django.urls import path

from . import choosers, scan_views, views

app_name = "treatments"

urlpatterns = [
    path("sessions/", views.session_index, name="session_list"),
    path("choosers/patients/", choosers.patient_search, name="patient_search"),
    path("choosers/batches/", choosers.batch_search, name="batch_search"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient_detail"),
    path("products/", views.product_index, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<uuid:product_id>/", views.product_detail, name="product_detail"),
    path("products/<uuid:product_id>/edit/", views.product_edit, name="product_edit"),
    path("products/<uuid:product_id>/batches/new/", views.batch_create, name="batch_create"),
    path("batches/<uuid:batch_id>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/receive/", scan_views.batch_receive, name="batch_receive"),
    path("scan/batch/", scan_views.session_batch_scan, name="scan_batch"),
    path("scan/batch/register/", scan_views.session_batch_register, name="scan_register"),
    path("products/<uuid:product_id>/scan/", scan_views.batch_label_scan, name="scan_label"),
]
