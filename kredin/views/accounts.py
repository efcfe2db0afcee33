"""Pages for a person rather than an organisation: sign-up, log-in, password reset,
invitations and choosing an organisation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from kredin import services
from kredin.audit import audit_record
from kredin.forms import InvitationAcceptNewUserForm, SignupForm, role_label
from kredin.models import Invitation, User
from kredin.selectors import membership_get, memberships_for_user


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignupView(View):
    """A new organisation and its owner, in one step."""

    template_name = "registration/signup.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("home")
        return render(request, self.template_name, {"form": SignupForm()})

    def post(self, request):
        form = SignupForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        membership = services.user_signup(
            organization_name=data["organization_name"],
            organization_number=data["organization_number"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"],
            request=request,
        )
        login(request, membership.user)
        organization = membership.organization
        messages.success(
            request, _("Velkommen til Kredin! %(org)s er opprettet.") % {"org": organization.name}
        )
        return redirect(reverse("org-home", kwargs={"org_slug": organization.slug}))


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(action="auth.password_reset", actor=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


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
        self.has_account = User.objects.filter(email__iexact=self.invitation.email).exists()
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
