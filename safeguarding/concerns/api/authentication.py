"""`Authorization: Bearer <token>` for agency systems, checked against AgencyApiToken (decision 0017).

Requests without the header are anonymous here, so the view's permission turns them into a 401;
a malformed, unknown or revoked token is a 401 at once. Either way the answer says nothing about
which part was wrong. The OpenAPI schema shows the scheme as HTTP bearer.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from safeguarding.accounts.tokens import AgencyTokenPrincipal, api_token_authenticate

AUTH_FAILED_MESSAGE = "The API token is missing, not recognised, or has been revoked."


class AgencyTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[AgencyTokenPrincipal, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, presented = header.strip().partition(" ")
        if scheme.lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed(AUTH_FAILED_MESSAGE)
        token = api_token_authenticate(presented.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(AUTH_FAILED_MESSAGE)
        return AgencyTokenPrincipal(token), token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 when authentication fails.
        return f'{self.keyword} realm="api"'


class AgencyTokenScheme(OpenApiAuthenticationExtension):
    """Describes AgencyTokenAuthentication in the OpenAPI schema as an HTTP bearer scheme."""

    target_class = "safeguarding.concerns.api.authentication.AgencyTokenAuthentication"
    name = "agencyToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A per-agency API token (sgpt_...), made by a partnership administrator. "
                "Send it as `Authorization: Bearer <token>`."
            ),
        }
