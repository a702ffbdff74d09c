from django.urls import path

from . import two_factor_views

app_name = "two_factor"

urlpatterns = [
    path("", two_factor_views.overview, name="overview"),
    path("code/", two_factor_views.code, name="code"),
    path("set-up/", two_factor_views.set_up, name="set_up"),
    path("recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
]
