"""Forms for sign-up, invitations, members and organisation settings."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kredin.identifiers import normalize_organization_number, validate_organization_number
from kredin.models import Organization, User
from kredin.permissions import Role
from kredin.services.organizations import organization_number_taken_message

ROLE_LABELS = {
    Role.OWNER: _("Eier"),
    Role.ADMIN: _("Administrator"),
    Role.MEMBER: _("Medlem"),
    Role.READ_ONLY: _("Kun lesetilgang"),
}


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


def role_choices(*, may_assign_owner: bool) -> list[tuple[str, str]]:
    return [
        (role.value, label)
        for role, label in ROLE_LABELS.items()
        if may_assign_owner or role != Role.OWNER
    ]


class _PasswordMixin:
    """Run Django's password validators against the person the password is for."""

    def _validated_password(self, *, email: str, full_name: str) -> str | None:
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(
                    password, user=User(email=email, full_name=full_name)
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return password


class _OrganizationFields(forms.Form):
    organization_name = forms.CharField(label=_("Organisasjonens navn"), max_length=200)
    organization_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        help_text=_("9 siffer, som i Enhetsregisteret."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_organization_number(self) -> str:
        number = normalize_organization_number(self.cleaned_data["organization_number"])
        validate_organization_number(number)
        if Organization.objects.filter(organization_number=number).exists():
            raise forms.ValidationError(
                organization_number_taken_message(), code="organization_exists"
            )
        return number


class OrganizationNewForm(_OrganizationFields):
    pass


class SignupForm(_PasswordMixin, _OrganizationFields):
    """No check of the address here: whether it has an account must not show on the page."""

    full_name = forms.CharField(
        label=_("Ditt navn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        self._validated_password(
            email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
        )
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also offers a reset to an account whose address was never confirmed (the reset link
    proves it), never to a deactivated one."""

    def get_users(self, email):
        candidates = User._default_manager.filter(email__iexact=email).filter(
            Q(is_active=True) | Q(email_confirmed_at__isnull=True)
        )
        return (user for user in candidates if user.has_usable_password())


class InvitationAcceptNewUserForm(_PasswordMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Ditt navn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Velg passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        self._validated_password(email=self.email, full_name=cleaned.get("full_name", ""))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-post"))
    role = forms.ChoiceField(label=_("Rolle"), initial=Role.MEMBER.value)

    def __init__(self, *args, may_assign_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(may_assign_owner=may_assign_owner)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"))

    def __init__(self, *args, may_assign_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(may_assign_owner=may_assign_owner)


class SigningForm(forms.Form):
    may_sign = forms.BooleanField(required=False)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
