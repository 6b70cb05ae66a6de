"""Account pages: landing, sign-up with email verification, log in/out (session), password reset,
profile. Thin: each POST calls the accounts service the API calls, and shows its errors."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _, pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.decorators.http import require_http_methods, require_POST

from accounts import reminders, selectors, services
from accounts.forms import (
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    PictureForm,
    PreferencesForm,
    ProfileForm,
    RegisterForm,
    ResendCodeForm,
    ResetPasswordForm,
    VerifyEmailForm,
)
from accounts.pictures import profile_picture_replace
from vexora.errors import DomainError
from vexora.i18n import language_cookie_set, language_supported
from vexora.web import form_error, form_status, next_url, sentence, throttle

SESSION_BACKEND = "accounts.backends.UsernameOrEmailBackend"
# Session keys: the address this browser just registered / asked a reset code for (the next
# page's email field is filled in without putting the address in a URL).
# Only PENDING_EMAIL (set by signing up here, with the password) lets the code sign this browser in.
PENDING_EMAIL = "accounts:verify_email"
CODE_EMAIL = "accounts:code_email"
RESET_EMAIL = "accounts:reset_email"


def _home_if_signed_in(request):
    return redirect("history:home") if request.user.is_authenticated else None


def _browser_time_zone(request) -> str:
    """The time zone the page's script read from the browser (Intl), when it is a real one."""
    try:
        return services.time_zone_checked(request.POST.get("time_zone", ""))
    except DomainError:
        return ""


# --- Landing and sign-up ----------------------------------------------------------------------
def landing(request):
    return render(request, "accounts/landing.html")


@require_http_methods(["GET", "POST"])
def register(request):
    if (signed_in := _home_if_signed_in(request)) is not None:
        return signed_in
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle(request, "register", account=data["username"])
            user = services.user_register(name=data["name"], email=data["email"], username=data["username"],
                                          password=data["password"], time_zone=_browser_time_zone(request),
                                          language=request.LANGUAGE_CODE)
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session[PENDING_EMAIL] = user.email
            messages.success(request, _("Account created. We emailed a 6-digit code to %(email)s.")
                             % {"email": user.email})
            return redirect("accounts:verify_email")
    return render(request, "accounts/register.html", {"form": form}, status=form_status(request, form))


@require_http_methods(["GET", "POST"])
def verify_email(request):
    session = request.session
    initial = {"email": request.GET.get("email") or session.get(CODE_EMAIL) or session.get(PENDING_EMAIL, "")}
    form = VerifyEmailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            throttle(request, "otp_verify", account=email)
            user = services.email_verify(email=email, otp=form.cleaned_data["otp"])
        except DomainError as exc:
            form_error(form, exc, field="otp")
        else:
            session.pop(CODE_EMAIL, None)
            pending = session.pop(PENDING_EMAIL, "")
            if pending.lower() == user.email.lower() and user.is_active and not request.user.is_authenticated:
                # The browser that signed up (it knows the password) and now proved the address.
                login(request, user, backend=SESSION_BACKEND)
                messages.success(request, _("Email verified. Welcome to Vexora, %(name)s!")
                                 % {"name": user.get_short_name()})
                return redirect("history:home")
            messages.success(request, _("Email verified. You can log in now."))
            return redirect("history:home" if request.user.is_authenticated else "accounts:login")
    email = form["email"].value() or ""
    context = {"form": form, "resend_form": ResendCodeForm(initial={"email": email})}
    return render(request, "accounts/verify_email.html", context, status=form_status(request, form))


@require_POST
def verify_email_resend(request):
    form = ResendCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address to get a new code."))
        return redirect("accounts:verify_email")
    email = form.cleaned_data["email"]
    try:
        throttle(request, "otp_send")
        services.otp_send(email=email, purpose=services.OTP_VERIFY_EMAIL, language=translation.get_language())
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
    else:
        messages.success(request, _("If %(email)s has an account waiting for verification, a new code is on its "
                                    "way.") % {"email": email})
    request.session[CODE_EMAIL] = email
    return redirect("accounts:verify_email")


# --- Sessions ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def login_view(request):
    if (signed_in := _home_if_signed_in(request)) is not None:
        return signed_in
    form = LoginForm(request.POST or None)
    unverified_email = ""
    if request.method == "POST" and form.is_valid():
        identifier, password = form.cleaned_data["identifier"], form.cleaned_data["password"]
        try:
            throttle(request, "login", account=identifier)
            # The API login's checks and messages; the session replaces its tokens (login() also
            # sets last_login, through Django's user_logged_in signal).
            user = services.user_authenticate(identifier=identifier, password=password)
            services.user_time_zone_adopt(user=user, time_zone=_browser_time_zone(request))
            services.user_language_adopt(user=user, language=translation.get_language())
        except DomainError as exc:
            form_error(form, exc)
            if exc.message == services.EMAIL_NOT_VERIFIED:
                user = selectors.user_get_by_identifier(identifier=identifier)
                unverified_email = user.email if user else ""
        else:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(request, _("Welcome back, %(name)s!") % {"name": user.get_short_name()})
            return redirect(next_url(request, reverse("history:home")))
    context = {"form": form, "next": next_url(request, ""), "unverified_email": unverified_email,
               "resend_form": ResendCodeForm(initial={"email": unverified_email}) if unverified_email else None}
    return render(request, "accounts/login.html", context, status=form_status(request, form))


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You are logged out. See you soon!"))
    return redirect("accounts:landing")


@require_POST
def language_switch(request):
    """The language switcher: Django's set_language (cookie, safe ``next``), and for a signed-in
    person the choice is stored, so their other browsers and their e-mails follow it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language_supported(language):
        services.user_language_set(user=request.user, language=language)
    return response


# --- Forgotten password -----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def forgot_password(request):
    form = ForgotPasswordForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            throttle(request, "otp_send")
            services.otp_send(email=email, purpose=services.OTP_RESET_PASSWORD, language=translation.get_language())
        except DomainError as exc:
            form_error(form, exc, field="email")
        else:
            messages.success(request, _("If %(email)s belongs to an account, we emailed it a 6-digit code.")
                             % {"email": email})
            request.session[RESET_EMAIL] = email
            return redirect("accounts:reset_password")
    return render(request, "accounts/forgot_password.html", {"form": form}, status=form_status(request, form))


@require_http_methods(["GET", "POST"])
def reset_password(request):
    initial = {"email": request.GET.get("email") or request.session.get(RESET_EMAIL, "")}
    form = ResetPasswordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle(request, "otp_verify", account=data["email"])
            services.password_reset(email=data["email"], otp=data["otp"], new_password=data["new_password"])
        except DomainError as exc:
            form_error(form, exc, field="otp")
        else:
            request.session.pop(RESET_EMAIL, None)
            if request.user.is_authenticated:
                logout(request)  # every session ended with the reset, this one too
            messages.success(request, _("Your password was changed. Log in with the new one."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_password.html", {"form": form}, status=form_status(request, form))


# --- Profile ----------------------------------------------------------------------------------
def _preferences_form(user, data=None):
    initial = {"language": user.language if language_supported(user.language) else translation.get_language(),
               "time_zone": user.time_zone, "reminder_enabled": user.reminder_enabled,
               "reminder_time": user.reminder_time}
    return PreferencesForm(data, initial=initial, time_zone_set=bool(user.time_zone))


def _profile_page(request, *, profile_form=None, picture_form=None, password_form=None, preferences_form=None,
                  delete_form=None):
    user = request.user
    context = {
        "profile_form": profile_form or ProfileForm(initial={"name": user.name, "username": user.username}),
        "picture_form": picture_form or PictureForm(),
        "password_form": password_form or PasswordChangeForm(user=user),
        "preferences_form": preferences_form or _preferences_form(user),
        "delete_form": delete_form or DeleteAccountForm(),
        "time_zone": selectors.user_time_zone(user=user).key,
    }
    status = form_status(request, profile_form, picture_form, password_form, preferences_form, delete_form)
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "GET":
        return _profile_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(user=request.user, name=form.cleaned_data["name"],
                                 username=form.cleaned_data["username"])
        except DomainError as exc:
            request.user.refresh_from_db()
            form_error(form, exc, field="username")
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return _profile_page(request, profile_form=form)


@login_required
@require_POST
def profile_picture(request):
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            profile_picture_replace(user=request.user, upload=form.cleaned_data["image"])
        except DomainError as exc:
            form_error(form, exc, field="image")
        else:
            messages.success(request, _("Your new picture is in place."))
            return redirect("accounts:profile")
    return _profile_page(request, picture_form=form)


@login_required
@require_POST
def password_change(request):
    form = PasswordChangeForm(request.POST, user=request.user)
    valid = form.is_valid()
    previous = form.cleaned_data.get("previous_password")
    if previous:  # also when the new password has problems: every problem is said at once
        try:
            throttle(request, "password_change", per_user=True)
            if not valid:
                services.password_verify(user=request.user, password=previous)
            else:
                services.password_change(user=request.user, previous_password=previous,
                                         new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            form_error(form, exc, field="previous_password" if exc.message == services.WRONG_PASSWORD else None)
        else:
            if valid:
                update_session_auth_hash(request, request.user)  # this browser stays signed in
                messages.success(request, _("Your password was changed. Other sessions were signed out."))
                return redirect("accounts:profile")
    return _profile_page(request, password_form=form)


@login_required
@require_POST
def preferences(request):
    """Language, time zone and the daily reminder. The language is stored as the footer's
    switcher stores it (the account's choice, and this browser's cookie), and the page that follows
    speaks it."""
    form = _preferences_form(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["language"]:
                services.user_language_set(user=request.user, language=data["language"])
            services.user_update(user=request.user, time_zone=data["time_zone"] or None,
                                 reminder_enabled=data["reminder_enabled"], reminder_time=data["reminder_time"])
        except DomainError as exc:
            request.user.refresh_from_db()
            form_error(form, exc)
        else:
            user = request.user
            if language_supported(user.language):
                translation.activate(user.language)
            zone = selectors.user_time_zone(user=user).key
            if user.reminder_enabled:
                text = _("Saved. Time zone: %(zone)s; daily reminder on at %(time)s.") % {
                    "zone": zone, "time": formats.time_format(user.reminder_time, pgettext("clock time format", "H:i"))}
            else:
                text = _("Saved. Time zone: %(zone)s; daily reminder off.") % {"zone": zone}
            messages.success(request, text)
            response = redirect(reverse("accounts:profile") + "#preferences-title")
            if data["language"]:
                language_cookie_set(response, data["language"])
            return response
    return _profile_page(request, preferences_form=form)


@login_required
@require_POST
def account_delete(request):
    """Delete the account for good (password re-confirmed), then sign this browser out."""
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            throttle(request, "password_change", per_user=True)
            services.user_delete(user=request.user, password=form.cleaned_data["password"])
        except DomainError as exc:
            form_error(form, exc, field="password" if exc.message == services.WRONG_PASSWORD else None)
        else:
            logout(request)
            messages.success(request, _("Your account and all its data were deleted. Goodbye, and thank you."))
            return redirect("accounts:landing")
    return _profile_page(request, delete_form=form)


# --- Reminders: one-click unsubscribe (no login) ----------------------------------------------
@csrf_exempt  # the signed token is the proof; mail clients post here without a page (RFC 8058)
@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token):
    """GET: a page with one button (link checkers that open mail links change nothing);
    POST: reminders off, from that button or a mail client's own unsubscribe button."""
    try:
        if request.method == "GET":
            user = reminders.reminder_token_user(token=token)
            return render(request, "accounts/unsubscribe.html", {"token": token, "already_off": not user.reminder_enabled})
        reminders.reminder_unsubscribe(token=token)
    except DomainError as exc:
        return render(request, "accounts/unsubscribe.html", {"error": sentence(exc.message)}, status=400)
    return render(request, "accounts/unsubscribe.html", {"done": True})
