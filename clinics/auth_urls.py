from django.contrib.auth.views import LogoutView
from django.urls import include, path

from .middleware import two_factor_exempt
from .password_reset import ThrottledPasswordResetView
from .two_factor_views import StaffLoginView

urlpatterns = [
    path("login/", StaffLoginView.as_view(), name="login"),
    path("logout/", two_factor_exempt(LogoutView.as_view()), name="logout"),
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("two-factor/", include("clinics.two_factor_urls")),
    path("", include("django.contrib.auth.urls")),
]
