from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("<uuid:clinic_id>/api-tokens/", token_views.api_token_index, name="index"),
    path("<uuid:clinic_id>/api-tokens/<uuid:token_id>/revoke/", token_views.api_token_revoke, name="revoke"),
]
