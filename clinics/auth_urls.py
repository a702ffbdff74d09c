from django.urls import include, path

from .password_reset import ThrottledPasswordResetView

urlpatterns = [
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
