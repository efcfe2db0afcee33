from django.urls import path

from sandbox.connect import authorize, protocol

urlpatterns = [
    path(".well-known/openid-configuration", protocol.discovery, name="connect-discovery"),
    path(".well-known/openid-configuration/jwks", protocol.jwks, name="connect-jwks"),
    path("connect/authorize", authorize.authorize, name="connect-authorize"),
    path("connect/authorize/login", authorize.login, name="connect-login"),
    path("connect/authorize/tenant", authorize.tenant, name="connect-tenant"),
    path("connect/authorize/consent", authorize.consent, name="connect-consent"),
    path("connect/authorize/terms", authorize.terms, name="connect-terms"),
    path("connect/token", protocol.token, name="connect-token"),
    path("connect/userinfo", protocol.userinfo, name="connect-userinfo"),
    path("connect/revocation", protocol.revocation, name="connect-revocation"),
    path("connect/endsession", protocol.endsession, name="connect-endsession"),
    path("_control/revoke", protocol.control_revoke, name="connect-control-revoke"),
]
