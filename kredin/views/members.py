"""Members of an organisation: list, invite, change role, remove, grant signing."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kredin import services
from kredin.forms import InvitationForm, RoleForm, SigningForm, role_choices, role_label
from kredin.models import Invitation, Membership
from kredin.permissions import Permission, Role
from kredin.selectors import organization_members
from kredin.throttles import acting_user, rate_limited
from kredin.views.base import OrganizationViewMixin


class MembersView(OrganizationViewMixin, View):
    """Everyone in the organisation may see who else is; changes need MANAGE_MEMBERS."""

    template_name = "kredin/members.html"

    def _render(self, invite_form=None, status: int = 200):
        may_manage = self.membership.has(Permission.MANAGE_MEMBERS)
        may_assign_owner = self.membership.has(Permission.MANAGE_OWNERS)
        rows = [
            {
                "membership": m,
                "role_label": role_label(m.role),
                "may_sign": m.has(Permission.SIGN_LEGAL_DOCUMENTS),
                "is_owner": m.role == Role.OWNER,
                "is_read_only": m.role == Role.READ_ONLY,
                # Admins manage everyone but owners; owners manage everyone.
                "may_change": may_manage and (may_assign_owner or m.role != Role.OWNER),
            }
            for m in organization_members(organization=self.organization)
        ]
        invitations = []
        if may_manage:
            invitations = [
                {
                    "invitation": i,
                    "role_label": role_label(i.role),
                    "may_revoke": may_assign_owner or i.role != Role.OWNER,
                }
                for i in Invitation.objects.filter(
                    organization=self.organization, accepted_at__isnull=True
                ).order_by("email")
            ]
        context = {
            "organization": self.organization,
            "membership": self.membership,
            "rows": rows,
            "invitations": invitations,
            "may_manage": may_manage,
            "may_grant_signing": self.membership.has(Permission.GRANT_SIGNING),
            "role_choices": role_choices(may_assign_owner=may_assign_owner),
            "invite_form": invite_form or InvitationForm(may_assign_owner=may_assign_owner),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, org_slug: str):
        return self._render()


class _MemberActionView(OrganizationViewMixin, View):
    """POST-only changes; the member is looked up inside this organisation only."""

    http_method_names = ["post"]
    required_permission = Permission.MANAGE_MEMBERS

    def target(self, membership_id: int) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user", "organization"),
            pk=membership_id,
            organization=self.organization,
        )

    def done(self):
        return redirect("org-members", org_slug=self.organization.slug)

    def run(self, change, success: str):
        try:
            change()
        except services.AccountsError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, success)
        return self.done()


@rate_limited("invitation", account=acting_user)
class InviteView(MembersView):
    http_method_names = ["post"]
    required_permission = Permission.MANAGE_MEMBERS

    def post(self, request, org_slug: str):
        # Every role is accepted here; the service refuses what this person may not grant.
        form = InvitationForm(request.POST, may_assign_owner=True)
        if not form.is_valid():
            return self._render(invite_form=form, status=400)
        email = form.cleaned_data["email"]
        try:
            services.invitation_create(
                organization=self.organization,
                actor_membership=self.membership,
                email=email,
                role=form.cleaned_data["role"],
                request=request,
            )
        except services.AccountsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Invitasjon sendt til %(email)s.") % {"email": email})
        return redirect("org-members", org_slug=self.organization.slug)


class MemberRoleView(_MemberActionView):
    def post(self, request, org_slug: str, membership_id: int):
        target = self.target(membership_id)
        form = RoleForm(request.POST, may_assign_owner=True)
        if not form.is_valid():
            messages.error(request, _("Ugyldig rolle."))
            return self.done()
        return self.run(
            lambda: services.membership_role_change(
                membership=target,
                actor_membership=self.membership,
                role=form.cleaned_data["role"],
                request=request,
            ),
            _("Rollen til %(who)s er endret.") % {"who": target.user},
        )


class MemberRemoveView(_MemberActionView):
    def post(self, request, org_slug: str, membership_id: int):
        target = self.target(membership_id)
        response = self.run(
            lambda: services.membership_remove(
                membership=target, actor_membership=self.membership, request=request
            ),
            _("%(who)s er fjernet fra organisasjonen.") % {"who": target.user},
        )
        if target.pk == self.membership.pk and not Membership.objects.filter(pk=target.pk).exists():
            # Someone who removed themselves no longer has a members page to return to.
            return redirect("home")
        return response


class MemberSigningView(_MemberActionView):
    required_permission = Permission.GRANT_SIGNING

    def post(self, request, org_slug: str, membership_id: int):
        target = self.target(membership_id)
        form = SigningForm(request.POST)
        # "false" (or nothing) revokes; the buttons send "true" or "false".
        may_sign = form.is_valid() and form.cleaned_data["may_sign"]
        message = (
            _("%(who)s kan nå signere rettslige dokumenter.")
            if may_sign
            else _("%(who)s kan ikke lenger signere rettslige dokumenter.")
        )
        return self.run(
            lambda: services.membership_signing_set(
                membership=target,
                actor_membership=self.membership,
                may_sign=may_sign,
                request=request,
            ),
            message % {"who": target.user},
        )


class InvitationRevokeView(_MemberActionView):
    def post(self, request, org_slug: str, invitation_id: int):
        invitation = get_object_or_404(
            Invitation, pk=invitation_id, organization=self.organization, accepted_at__isnull=True
        )
        return self.run(
            lambda: services.invitation_revoke(
                invitation=invitation, actor_membership=self.membership, request=request
            ),
            _("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email},
        )
