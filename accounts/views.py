"""Setting up the second factor, giving it after the password, backup codes, logging out everywhere.

Every page is for a signed-in staff member alone, and never cached (they show
secrets: the app's key, the backup codes).
"""

from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import CodeForm, CommentEmailsForm, EnrolmentForm
from .middleware import second_factor_required
from .models import AccountSecurity

BACKUP_CODES_SESSION_KEY = "accounts_new_backup_codes"


def staff_page(view):
    """Only for a signed-in staff member (others go to the login page); never cached."""

    @never_cache
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect(with_next("admin:login", request.get_full_path()))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def with_next(url_name, target):
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def next_url(request):
    """Where to go once done: the ``next`` given, if it is on this site, or the admin's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def context(request, title, **extra):
    values = {**admin_site.each_context(request), "title": title, "next": next_url(request)}
    if not (request.user.is_verified() or not second_factor_required(request)):
        # Before the second factor: neither the admin's sections nor its links yet.
        values.update(available_apps=[], is_nav_sidebar_enabled=False, second_step=True)
    return {**values, **extra}


@staff_page
def verify(request):
    """The second step of the login: a code from the app, or a backup code."""
    if request.user.is_verified():
        return HttpResponseRedirect(next_url(request))
    if not services.has_second_factor(request.user):
        return redirect(with_next("accounts:enrol", next_url(request)))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.two_factor_verify(request=request, code=form.cleaned_data["code"])
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            if not services.is_app(device):
                left = services.backup_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a backup code: %(left)d left. Make new ones from your security page.",
                        "You used a backup code: %(left)d left. Make new ones from your security page.",
                        left,
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url(request))
    return render(
        request,
        "accounts/verify.html",
        context(
            request,
            _("Two-factor authentication"),
            form=form,
            has_security_key=bool(services.security_keys(request.user)),
        ),
    )


@staff_page
def enrol(request):
    """Set up the authenticator app: scan the QR code (or type the secret), then confirm a code."""
    if services.app_device(request.user) is not None:
        if request.user.is_verified():
            messages.info(request, _("Two-factor authentication is already set up for your account."))
            return redirect("accounts:account")
        return redirect(with_next("accounts:verify", next_url(request)))
    device = services.two_factor_enrolment_start(user=request.user)
    form = EnrolmentForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.two_factor_enrolment_confirm(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(with_next("accounts:backup_codes", next_url(request)))
    return render(
        request,
        "accounts/enrol.html",
        context(
            request,
            _("Set up two-factor authentication"),
            form=form,
            secret=services.secret_for_typing(device),
        ),
    )


@staff_page
def qrcode_image(request):
    """The QR code of the app's setup link, as an SVG image of this site (no third party sees the secret)."""
    device = services.app_device(request.user, confirmed=False)
    if device is None:
        return HttpResponse(status=404)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    out = BytesIO()
    image.save(out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def verified_page(view):
    """A staff page that also needs the second factor when the session has to give one."""

    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_verified() and services.has_second_factor(user):
            return redirect(with_next("accounts:verify", request.get_full_path()))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return staff_page(wrapped)


@verified_page
def backup_codes(request):
    """The new backup codes, shown once; a POST replaces them with new ones."""
    if request.method == "POST":
        if not services.has_second_factor(request.user):
            return redirect("accounts:enrol")
        request.session[BACKUP_CODES_SESSION_KEY] = services.backup_codes_renew(user=request.user)
        messages.success(request, _("New backup codes were made: the former ones no longer work."))
        return redirect("accounts:backup_codes")
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/backup_codes.html",
        context(
            request,
            _("Backup codes"),
            codes=codes,
            left=services.backup_codes_left(request.user),
        ),
    )


@verified_page
def account(request):
    """The staff member's own security page: second factor, backup codes, sessions."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        context(
            request,
            _("My account's security"),
            device=services.app_device(user),
            left=services.backup_codes_left(user),
            security=AccountSecurity.objects.filter(user=user).first(),
            required=settings.STAFF_REQUIRE_2FA,
            idle_minutes=settings.STAFF_SESSION_IDLE_MINUTES,
            security_keys=services.security_keys(user),
            comment_emails_form=CommentEmailsForm(
                initial={"notify_on_comment": services.comment_emails_wanted(user)}
            ),
        ),
    )


@require_POST
@verified_page
def logout_everywhere(request):
    """Close every session of this account, this one included."""
    services.sessions_revoke(user=request.user, actor=request.user)
    logout(request)
    messages.success(request, _("You were logged out on every device."))
    return redirect("admin:login")


@require_POST
@verified_page
def comment_emails(request):
    """The author's choice of an e-mail for each comment published on their articles."""
    form = CommentEmailsForm(request.POST)
    if form.is_valid():
        enabled = form.cleaned_data["notify_on_comment"]
        services.comment_emails_set(user=request.user, enabled=enabled)
        if enabled:
            done = _("You will get an e-mail for each new comment on your articles.")
        else:
            done = _("You will no longer get an e-mail for each comment on your articles.")
        messages.success(request, done)
    return HttpResponseRedirect(reverse("accounts:account") + "#comment-emails")


@require_POST
@verified_page
def security_key_remove(request, pk):
    """Remove one of the staff member's own security keys or passkeys."""
    if services.security_key_remove(user=request.user, key_id=pk):
        messages.success(request, _("The security key was removed: it no longer opens your account."))
    else:
        messages.error(request, _("This security key is not one of yours, or was already removed."))
    return HttpResponseRedirect(reverse("accounts:account") + "#security-keys")
