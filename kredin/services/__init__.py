"""Writes about organisations and people: sign-up, invitations, memberships, API keys.

Every change is checked against the acting membership's permissions here, not only in
the views, and every change leaves an audit event (with the request's IP where there is
a request).
"""

from kredin.services.accounts import (
    Confirmation,
    confirmation_resend,
    email_confirm,
    email_confirmation_tokens,
    email_confirmation_url,
    user_mailbox_proven,
    user_signup,
)
from kredin.services.api_tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_delete,
    api_tokens_revoke_for_user,
)
from kredin.services.common import AccountsError, require_permission
from kredin.services.invitations import (
    invitation_accept,
    invitation_accept_new_user,
    invitation_create,
    invitation_problem,
    invitation_revoke,
)
from kredin.services.memberships import (
    membership_remove,
    membership_role_change,
    membership_signing_set,
)
from kredin.services.organizations import (
    organization_create,
    organization_number_taken_message,
    organization_slug_generate,
    organization_update,
)

__all__ = [
    "AccountsError",
    "Confirmation",
    "api_token_authenticate",
    "api_token_create",
    "api_token_delete",
    "api_tokens_revoke_for_user",
    "confirmation_resend",
    "email_confirm",
    "email_confirmation_tokens",
    "email_confirmation_url",
    "invitation_accept",
    "invitation_accept_new_user",
    "invitation_create",
    "invitation_problem",
    "invitation_revoke",
    "membership_remove",
    "membership_role_change",
    "membership_signing_set",
    "organization_create",
    "organization_number_taken_message",
    "organization_slug_generate",
    "organization_update",
    "require_permission",
    "user_mailbox_proven",
    "user_signup",
]
