"""Roles and what each may do: the permission matrix, in one place.

| permission            | owner | admin | member | read_only |
|-----------------------|:-----:|:-----:|:------:|:---------:|
| view                  |   x   |   x   |   x    |     x     |
| work_cases            |   x   |   x   |   x    |           |
| manage_integrations   |   x   |   x   |        |           |
| manage_settings       |   x   |   x   |        |           |
| manage_members        |   x   |   x   |        |           |
| view_audit_log        |   x   |       |        |           |
| manage_owners         |   x   |       |        |           |
| grant_signing         |   x   |       |        |           |
| sign_legal_documents  |   x   | granted by an owner    |   |

"May sign legal documents" is not a role: owners always have it, and an owner can grant
it to any other member (it is stored on the membership). Kept free of Django so the
matrix can be read, tested and documented on its own.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    READ_ONLY = "read_only"


class Permission(StrEnum):
    VIEW = "view"
    WORK_CASES = "work_cases"
    MANAGE_INTEGRATIONS = "manage_integrations"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_OWNERS = "manage_owners"
    GRANT_SIGNING = "grant_signing"
    SIGN_LEGAL_DOCUMENTS = "sign_legal_documents"


_READ_ONLY = frozenset({Permission.VIEW})
_MEMBER = _READ_ONLY | {Permission.WORK_CASES}
_ADMIN = _MEMBER | {
    Permission.MANAGE_INTEGRATIONS,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_MEMBERS,
}
_OWNER = _ADMIN | {
    Permission.VIEW_AUDIT_LOG,
    Permission.MANAGE_OWNERS,
    Permission.GRANT_SIGNING,
    Permission.SIGN_LEGAL_DOCUMENTS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.MEMBER: frozenset(_MEMBER),
    Role.READ_ONLY: frozenset(_READ_ONLY),
}


def permissions_for(*, role: Role | str, may_sign: bool = False) -> frozenset[Permission]:
    granted = ROLE_PERMISSIONS[Role(role)]
    if may_sign and Role(role) != Role.READ_ONLY:
        granted = granted | {Permission.SIGN_LEGAL_DOCUMENTS}
    return granted
