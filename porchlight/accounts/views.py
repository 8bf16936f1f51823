"""Accounts pages: the second factor (set up, a code, recovery codes), password reset, the audit check."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from porchlight.accounts import services
from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.middleware import HAS_DEVICE, has_device
from porchlight.accounts.models import User
from porchlight.accounts.permissions import capability_required, second_factor_exempt
from porchlight.accounts.roles import Capability
from porchlight.accounts.selectors import audit_chain_verify

WRONG_CODE = _("That code is not right, or it was already used. Try the one your app shows now.")
NEW_CODES = "porchlight_new_recovery_codes"  # shown once, on the next page, then gone from the session


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={"class": "usa-input", "autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false"}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _grouped(secret: bytes) -> str:
    text = base64.b32encode(secret).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@second_factor_exempt
@capability_required()
def two_factor_setup(request: AuthedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code from it."""
    # Someone holding only the password must not swap in an authenticator of their own.
    if has_device(request) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={_next(request)}")
    device = services.totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = form.cleaned_data["code"]
            codes = services.totp_device_confirm(user=request.user, device=device, token=code)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            otp_login(request, device)
            request.session[HAS_DEVICE] = True
            request.session[NEW_CODES] = codes
            return redirect(f"{reverse('accounts:two_factor')}?next={_next(request)}")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    context = {"form": form, "qr": qr, "secret": _grouped(device.bin_key), "next": _next(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@second_factor_exempt
@capability_required()
def two_factor_verify(request: AuthedHttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the authenticator app, or one recovery code."""
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_check(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@capability_required()
def two_factor(request: HttpRequest) -> HttpResponse:
    """The user's second factor: whether it is set up, recovery codes left, new codes (shown once)."""
    codes = request.session.pop(NEW_CODES, None)
    context = {
        "enrolled": has_device(request),
        "new_codes": codes,
        "codes_left": StaticToken.objects.filter(device__user=request.user).count(),
        "next": _next(request) if "next" in request.GET else "",
    }
    return render(request, "accounts/two_factor.html", context)


@require_POST
@capability_required()
def recovery_codes_renew(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("accounts:two_factor_setup")
    request.session[NEW_CODES] = services.recovery_codes_renew(user=request.user)
    return redirect("accounts:two_factor")


@require_POST
@capability_required()
def sign_out_everywhere(request: AuthedHttpRequest) -> HttpResponse:
    """The user ends all their own sessions (a lost phone, a shared computer), this one included."""
    services.user_sessions_revoke(user=request.user, actor=request.user)
    return redirect("login")


@capability_required(Capability.VIEW_AUDIT_LOG)
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Check the audit log's hash chain and show the first broken or missing link, if any."""
    return render(request, "accounts/audit_verify.html", {"report": audit_chain_verify()})


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email. The answer is the same whether or not the address is known."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form(self, form_class: type[PasswordResetForm] | None = None) -> PasswordResetForm:
        form = super().get_form(form_class)
        form.fields["email"].widget.attrs.update({"class": "usa-input", "autocomplete": "email"})
        return form

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Links start with the address people reach Porchlight at, never with the request's Host header.
        self.extra_email_context = {"base_url": settings.PORCHLIGHT_BASE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_form(self, form_class: type[SetPasswordForm[User]] | None = None) -> SetPasswordForm[User]:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.update({"class": "usa-input"})
        return form
