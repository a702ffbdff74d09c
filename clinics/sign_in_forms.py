"""The password forms of the staff login and the admin login, bounded before anything is looked up.

Django's login form checks no length: a 256-character username went to the authentication backends,
and the login lockout then wrote it into its 255-character column (a 500 on PostgreSQL). Too long
for any account is answered like any wrong login.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .limits import PASSWORD_MAX_LENGTH


class BoundedSignIn(forms.Form):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if len(username) > self.fields["username"].max_length or len(password) > PASSWORD_MAX_LENGTH:
            raise self.get_invalid_login_error()
        return super().clean()


class StaffAuthenticationForm(BoundedSignIn, AuthenticationForm):
    pass


class StaffAdminAuthenticationForm(BoundedSignIn, AdminAuthenticationForm):
    pass
