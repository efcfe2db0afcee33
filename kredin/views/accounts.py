"""Pages for a person rather than an organisation: sign-up and its confirmation, log-in,
passwords, invitations, the account page and choosing or adding an organisation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View

from kredin import services
from kredin.audit import audit_record
from kredin.forms import (
    EmailForm,
    InvitationAcceptNewUserForm,
    OrganizationNewForm,
    PasswordResetForm,
    SignupForm,
    role_label,
)
from kredin.models import Invitation, User
from kredin.selectors import audit_events_for_user, membership_get, memberships_for_user
from kredin.throttles import posted, rate_limited, url_argument
from kredin.views.second_factor import second_factor_pending_start, second_factor_url
from kredin.views.settings import action_label


@rate_limited("login", account=posted("username"))
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user.is_staff:
            return super().form_valid(form)
        # Staff are logged in only by the second step, with their authenticator's code.
        second_factor_pending_start(self.request, user)
        return redirect(second_factor_url(self.get_success_url()))


@rate_limited("signup", account=posted("email"))
class SignupView(View):
    """A new organisation and its owner; both wait for the e-mail address to be confirmed."""

    template_name = "registration/signup.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("organization-new")
        return render(request, self.template_name, {"form": SignupForm()})

    def post(self, request):
        form = SignupForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        services.user_signup(
            organization_name=data["organization_name"],
            organization_number=data["organization_number"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"],
            request=request,
        )
        # The same page whatever the address: whether it has an account is the mailbox's news.
        return _sent_page(data["email"])


def _sent_page(email: str):
    return redirect(f"{reverse('signup-sent')}?{urlencode({'email': email})}")


class SignupSentView(View):
    def get(self, request):
        return render(
            request, "registration/signup_sent.html", {"email": request.GET.get("email", "")}
        )


@rate_limited("confirmation", account=url_argument("uidb64"))
class EmailConfirmView(View):
    """The link in the confirmation e-mail; the sign-up password finishes it."""

    template_name = "registration/email_confirm.html"

    def dispatch(self, request, uidb64: str, token: str):
        self.user = _user_from_uid(uidb64)
        self.token = token
        self.link_valid = self.user is not None and services.email_confirmation_tokens.check_token(
            self.user, token
        )
        return super().dispatch(request, uidb64, token)

    def _render(self, *, status: int = 200, error: str = ""):
        context = {"link_valid": self.link_valid, "error": error, "confirm_user": self.user}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, uidb64: str, token: str):
        return self._render(status=200 if self.link_valid else 410)

    def post(self, request, uidb64: str, token: str):
        if not self.link_valid:
            return self._render(status=410)
        try:
            confirmation = services.email_confirm(
                user=self.user,
                token=token,
                password=request.POST.get("password", ""),
                request=request,
            )
        except services.AccountsError as error:
            return self._render(status=400, error=str(error))
        login(request, confirmation.user, backend="django.contrib.auth.backends.ModelBackend")
        if confirmation.organization is None:
            if confirmation.problem:
                messages.warning(request, confirmation.problem)
            return redirect("home")
        messages.success(
            request,
            _("Velkommen til Kredin! %(org)s er opprettet.")
            % {"org": confirmation.organization.name},
        )
        return redirect(reverse("org-home", kwargs={"org_slug": confirmation.organization.slug}))


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk).first()


@rate_limited("confirmation", account=posted("email"))
class ConfirmationResendView(View):
    template_name = "registration/confirmation_resend.html"

    def get(self, request):
        return render(request, self.template_name, {"form": EmailForm()})

    def post(self, request):
        form = EmailForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.confirmation_resend(email=form.cleaned_data["email"], request=request)
        return _sent_page(form.cleaned_data["email"])


@rate_limited("password_reset", account=posted("email"))
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting the password ends every session and API key of the account (User.save),
    and proves the mailbox of an account that was never confirmed."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # Django offers resets to active accounts only; an unconfirmed one may reset too,
        # a deactivated one may not.
        if user is not None and not user.is_active and not user.is_unconfirmed:
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_mailbox_proven(user=form.user, how="password_reset", request=self.request)
        audit_record(action="auth.password_reset", actor=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session; the new password hash ends every other one."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(action="auth.password_changed", actor=form.user, request=self.request)
        messages.success(
            self.request,
            _(
                "Passordet er endret. Du er logget ut alle andre steder, "
                "og API-nøklene dine er slettet."
            ),
        )
        return response


class AccountView(LoginRequiredMixin, View):
    """The person's own page: who they are and what happened to their account lately."""

    def get(self, request):
        events = [
            {"event": event, "label": action_label(event.action)}
            for event in audit_events_for_user(user=request.user)
        ]
        return render(request, "kredin/account.html", {"events": events})


class OrganizationNewView(LoginRequiredMixin, View):
    """A confirmed person registers another organisation (an accountant's next client)."""

    template_name = "kredin/organization_new.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OrganizationNewForm()})

    def post(self, request):
        form = OrganizationNewForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            organization = services.organization_create(
                name=form.cleaned_data["organization_name"],
                organization_number=form.cleaned_data["organization_number"],
                owner=request.user,
                request=request,
            )
        except services.AccountsError as error:
            form.add_error("organization_number", str(error))
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(request, _("%(org)s er opprettet.") % {"org": organization.name})
        return redirect(reverse("org-home", kwargs={"org_slug": organization.slug}))


class InvitationAcceptView(View):
    """The link in an invitation e-mail.

    A logged-in person with the invited address joins with one click; someone without
    an account chooses a name and password; someone with an account logs in first.
    A logged-in person with another address gets 404, as for anything not theirs.
    """

    template_name = "registration/invitation_accept.html"

    def dispatch(self, request, token: str):
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("organization"), token=token
        )
        if (
            request.user.is_authenticated
            and request.user.email.lower() != self.invitation.email.lower()
        ):
            return self._render(status=404, wrong_user=True)
        problem = services.invitation_problem(invitation=self.invitation)
        if problem:
            return self._render(status=410, problem=problem)
        # An unconfirmed account cannot log in; the link itself proves the mailbox, so its
        # holder chooses a password here like someone new.
        self.has_account = (
            User.objects.filter(email__iexact=self.invitation.email)
            .exclude(is_active=False, email_confirmed_at__isnull=True)
            .exists()
        )
        return super().dispatch(request, token)

    def _render(self, status: int = 200, **context):
        context.setdefault("invitation", self.invitation)
        context.setdefault("organization", self.invitation.organization)
        context.setdefault("role_label", role_label(self.invitation.role))
        return render(self.request, self.template_name, context, status=status)

    def _new_user_form(self, data=None):
        return InvitationAcceptNewUserForm(data, email=self.invitation.email)

    def get(self, request, token: str):
        form = None
        if not request.user.is_authenticated and not self.has_account:
            form = self._new_user_form()
        return self._render(form=form, has_account=self.has_account)

    def post(self, request, token: str):
        if request.user.is_authenticated:
            membership = self._accept(
                lambda: services.invitation_accept(
                    invitation=self.invitation, user=request.user, request=request
                )
            )
        elif self.has_account:
            return redirect(f"{reverse('login')}?next={request.path}")
        else:
            form = self._new_user_form(request.POST)
            if not form.is_valid():
                return self._render(status=400, form=form, has_account=False)
            membership = self._accept(
                lambda: services.invitation_accept_new_user(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    request=request,
                )
            )
            if membership is not None:
                login(request, membership.user)
        if membership is None:
            return redirect(request.path)
        messages.success(
            request, _("Du er nå medlem av %(org)s.") % {"org": membership.organization.name}
        )
        return redirect(reverse("org-home", kwargs={"org_slug": membership.organization.slug}))

    def _accept(self, accept):
        try:
            return accept()
        except services.AccountsError as error:
            messages.error(self.request, str(error))
            return None


class HomeView(LoginRequiredMixin, View):
    """Send the person to their organisation, or let them pick one."""

    def get(self, request):
        memberships = list(memberships_for_user(user=request.user))
        if not memberships and request.user.is_staff:
            # Kredin's own staff belong to no organisation: their start is the console.
            return redirect("support:home")
        if len(memberships) == 1:
            return redirect(
                reverse("org-home", kwargs={"org_slug": memberships[0].organization.slug})
            )
        rows = [{"membership": m, "role_label": role_label(m.role)} for m in memberships]
        return render(request, "kredin/choose_organization.html", {"rows": rows})


class SwitchOrganizationView(LoginRequiredMixin, View):
    def get(self, request):
        slug = request.GET.get("org", "")
        try:
            membership_get(user=request.user, organization_slug=slug)
        except Http404:
            return redirect("home")
        return redirect(reverse("org-home", kwargs={"org_slug": slug}))
