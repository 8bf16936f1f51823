"""Sign-in, password reset and the second factor (names without a namespace are Django's own), and the
accounts pages (namespace `accounts`)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from porchlight.accounts import views
from porchlight.accounts.permissions import public_view, second_factor_exempt

accounts_patterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]

urlpatterns = [
    path(
        "login/",
        public_view(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", public_view(second_factor_exempt(auth_views.LogoutView.as_view())), name="logout"),
    path("password-reset/", public_view(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password-reset/sent/",
        public_view(
            auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        public_view(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        public_view(
            auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
        ),
        name="password_reset_complete",
    ),
    path("", include((accounts_patterns, "accounts"))),
]
