"""POST /api/v1/concerns/: agency systems send a concern, authenticated by an agency API token.

The body is the concern's answers as JSON (schemas.ConcernSubmission); the `Idempotency-Key` header
makes a retry safe. Answers: 201 {"reference"} when made; 200 with the same reference for a key
already used; 400 {"errors": [{"field", "message"}]} for bad input; 401 without a working token; 405
for any other method; 413 for a body too large; 415 for a body that is not JSON; 429 over the
token's rate; 503 if the database is unavailable (retry with the same key). Never a 500 for any body.

Each of those refusals is one small check below that raises `Refused`; the view's `handle_exception`
is the one place a refusal becomes a JSON response.
"""

import json
from typing import Any, NoReturn

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.utils.decorators import method_decorator
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from pydantic import ValidationError
from rest_framework import permissions, status
from rest_framework.exceptions import APIException, AuthenticationFailed, NotAuthenticated
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguarding.accounts.tokens import AgencyTokenPrincipal
from safeguarding.concerns.answers import AnswerError, ConcernInvalid, validation_errors
from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import SubmitResult, concern_submit
from safeguarding.core.ratelimit import rate_limit

from .authentication import AUTH_FAILED_MESSAGE, AgencyTokenAuthentication
from .schemas import ConcernSubmission

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PATTERN = r"^[!-~]{8,64}$"
# Far above the largest body the answers allow, far below anything that could hurt the server.
BODY_MAX_BYTES = 1_048_576
RATE_GROUP = "api_concerns"

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_REFERENCE = {
    "type": "object",
    "properties": {
        "reference": {"type": "string", "pattern": r"^C-\d{4}-\d{6,}$", "example": "C-2026-000123"}
    },
    "required": ["reference"],
}
_ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        }
    },
    "required": ["errors"],
}


class Refused(Exception):
    """Why the API will not make this concern: an HTTP status, a short code, and what to tell the sender.

    `errors` (each naming a field; `field=` makes one) are sent as {"errors": [{"field", "message"}]},
    otherwise the message as {"detail": ...}, the two shapes the schema documents. `code` names the
    refusal for the code and its tests; it is not sent.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str = "",
        errors: list[AnswerError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status, self.code, self.message = status, code, message
        self.errors: list[AnswerError] = list(
            errors or ([{"field": field, "message": message}] if field else [])
        )
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        if self.errors:
            # Field and message only: the codes the answers carry are for forms, not a public contract.
            return {"errors": [{"field": e["field"], "message": e["message"]} for e in self.errors]}
        return {"detail": self.message}


def _method_allowed(request: Request, allowed: list[str]) -> None:
    if (request.method or "").lower() not in allowed:
        raise Refused(
            status.HTTP_405_METHOD_NOT_ALLOWED,
            "method_not_allowed",
            f'Method "{request.method}" not allowed.',
        )


def _token_key(request: Request) -> str:
    # Per token, not per address: an agency's system may send from many addresses, or share one.
    principal: AgencyTokenPrincipal = request.user  # type: ignore[assignment]
    return f"token:{principal.token.prefix}"


def _too_many(request: Request, retry_after: int) -> NoReturn:
    raise Refused(
        status.HTTP_429_TOO_MANY_REQUESTS,
        "rate_limited",
        "This token has sent too many concerns in a short time. Try again later.",
        headers={"Retry-After": str(retry_after)},
    )


def _idempotency_key(request: Request) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not (8 <= len(key) <= 64 and all("!" <= ch <= "~" for ch in key)):
        raise Refused(
            status.HTTP_400_BAD_REQUEST,
            "idempotency_key",
            "Send an Idempotency-Key header: 8 to 64 printable characters, no spaces",
            field=IDEMPOTENCY_HEADER,
        )
    return key


def _body(request: Request) -> bytes:
    """The body, read by the view rather than DRF's parser so that no body can make a 500."""
    try:
        body = request._request.body
    except RequestDataTooBig:
        body = None
    if body is None or len(body) > BODY_MAX_BYTES:
        raise Refused(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "body_too_large",
            f"The body is larger than {BODY_MAX_BYTES} bytes",
            field="body",
        )
    if not body:
        raise Refused(
            status.HTTP_400_BAD_REQUEST, "body_empty", "Send the answers as a JSON object", field="body"
        )
    return body


def _sent_as_json(request: Request) -> None:
    if request.content_type.split(";")[0].strip().lower() != "application/json":
        raise Refused(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "Send the answers as JSON, with Content-Type: application/json.",
        )


def _answers(body: bytes, *, agency_id: int) -> dict[str, Any]:
    """The answers in the body, for the token's agency.

    Strict first: JSON types as documented (no "yes" for true, no "5" for 5), against the referral's
    own model (schemas.ConcernSubmission), so every rule of /refer/ holds here too.
    """
    try:
        ConcernSubmission.model_validate_json(body, strict=True)
    except ValidationError as error:
        raise Refused(
            status.HTTP_400_BAD_REQUEST,
            "answers_invalid",
            "The answers are not valid",
            errors=validation_errors(error, whole="body"),
        ) from None
    answers: dict[str, Any] = json.loads(body)
    professional = answers["professional"]
    if professional.get("agency_id") not in (None, agency_id):
        raise Refused(
            status.HTTP_400_BAD_REQUEST,
            "agency_not_the_tokens",
            "Your agency and role: this must be the agency of the API token, or left out",
            field="professional.agency_id",
        )
    professional["agency_id"] = agency_id
    return answers


def _submitted(answers: dict[str, Any], *, key: str, principal: AgencyTokenPrincipal) -> SubmitResult:
    try:
        return concern_submit(
            answers=answers,
            source=Concern.Source.API,
            # Keys are private to each agency: another agency's key can never return this concern.
            idempotency_key=f"api-{principal.agency.pk}-{key}",
            submitted_by=principal,
        )
    except ConcernInvalid as invalid:
        raise Refused(
            status.HTTP_400_BAD_REQUEST, "answers_invalid", "The answers are not valid", errors=invalid.errors
        ) from None
    except (OperationalError, InterfaceError):
        # Nothing was made (one transaction): the same key again is safe.
        raise Refused(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "unavailable",
            "Unavailable for a moment. Send again with the same Idempotency-Key.",
            headers={"Retry-After": "30"},
        ) from None


_SCHEMA = extend_schema(
    operation_id="concerns_create",
    summary="Send a safeguarding concern from an agency's system",
    description=(
        "Makes a concern, exactly once per `Idempotency-Key`, and routes it to the right teams. "
        "The body is the same answers as a professional referral on /refer/. The agency is the API "
        "token's: leave `professional.agency_id` out, or give the token's agency. The reporter is the "
        "referring professional, who must give a name and a way to be contacted. "
        "The receipt code of the public journey is not returned: agencies follow a referral up "
        "through the front door, quoting the reference."
    ),
    request={"application/json": ConcernSubmission},
    parameters=[
        OpenApiParameter(
            IDEMPOTENCY_HEADER,
            {"type": "string", "pattern": IDEMPOTENCY_PATTERN, "minLength": 8, "maxLength": 64},
            location=OpenApiParameter.HEADER,
            required=True,
            description=(
                "A unique value per concern, made by the sending system (a UUID is ideal): 8 to 64 "
                "printable ASCII characters, no spaces. Sending the same key again returns the "
                "concern already made, never a second one. Keys are private to each agency."
            ),
            examples=[OpenApiExample("A UUID", value="5b0e1c5e-7f7d-4c55-9d3e-1d3f1f0f6a01")],
        )
    ],
    responses={
        201: OpenApiResponse(response=_REFERENCE, description="The concern was made."),
        200: OpenApiResponse(
            response=_REFERENCE, description="A concern was already made with this key: its reference."
        ),
        400: OpenApiResponse(response=_ERRORS, description="The answers or the key are not valid."),
        401: OpenApiResponse(response=_DETAIL, description="No token, or not recognised, or revoked."),
        405: OpenApiResponse(response=_DETAIL, description="Only POST is allowed."),
        413: OpenApiResponse(response=_ERRORS, description="The body is too large."),
        415: OpenApiResponse(response=_DETAIL, description="The body must be application/json."),
        429: OpenApiResponse(response=_DETAIL, description="Too many concerns from this token for now."),
        503: OpenApiResponse(response=_DETAIL, description="Unavailable for now: retry with the same key."),
    },
    tags=["concerns"],
)


class ConcernCreateView(APIView):
    http_method_names = ["post"]
    authentication_classes = [AgencyTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]  # for the schema: the body is read and checked below, not by DRF

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Any other method is a 405, with or without a token: it says nothing about any concern.
        _method_allowed(request, self.http_method_names)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        """The one place a refusal becomes a response, DRF's own (no working token...) included."""
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            # One answer for a missing, unknown, wrong or revoked token: it says nothing of which.
            challenge = self.get_authenticate_header(self.request) or ""
            exc = Refused(
                status.HTTP_401_UNAUTHORIZED,
                "not_authenticated",
                AUTH_FAILED_MESSAGE,
                headers={"WWW-Authenticate": challenge},
            )
        elif isinstance(exc, APIException):
            exc = Refused(exc.status_code, str(exc.default_code), str(exc.detail))
        if not isinstance(exc, Refused):
            return super().handle_exception(exc)  # a fault, not a refusal: the 500 page, as anywhere
        response = Response(exc.body(), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    @_SCHEMA
    @method_decorator(rate_limit(RATE_GROUP, key=_token_key, over_limit=_too_many))
    def post(self, request: Request) -> Response:
        principal: AgencyTokenPrincipal = request.user  # type: ignore[assignment]
        key = _idempotency_key(request)
        body = _body(request)
        _sent_as_json(request)
        answers = _answers(body, agency_id=principal.agency.pk)
        result = _submitted(answers, key=key, principal=principal)
        return Response(
            {"reference": result.reference},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
