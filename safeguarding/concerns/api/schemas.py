"""The shape of POST /api/v1/concerns/, for the OpenAPI schema and a strict first check of the body.

The request is a referral's answers (`concerns.answers.ReferralAnswers`: the professional block and the
reporter's name and contact required, as on /refer/) with the API's one difference: the agency may be
left out (it is the token's). The JSON Schema comes from these pydantic models, turned into OpenAPI 3.0
(`nullable` instead of a null type), so the documented schema cannot drift from the validation.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from pydantic import Field

from safeguarding.concerns.answers import AgencyId, ConcernAnswers, ProfessionalAnswer, ReferralAnswers
from safeguarding.concerns.models import Sign


class ApiProfessional(ProfessionalAnswer):
    agency_id: AgencyId | None = Field(  # type: ignore[assignment]
        default=None,
        description="Leave out: the agency is the API token's. If given, it must be the token's agency.",
    )


class ConcernSubmission(ReferralAnswers):
    """A concern sent by an agency's system: the same answers as a referral on /refer/."""

    professional: ApiProfessional


def _openapi(node: Any) -> Any:
    """JSON Schema (draft 2020-12, as pydantic writes it) to OpenAPI 3.0: nullable, refs, no const."""
    if isinstance(node, list):
        return [_openapi(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _openapi(value) for key, value in node.items()}
    for combinator in ("anyOf", "oneOf"):
        options = node.get(combinator)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [option for option in options if option != {"type": "null"}]
            del node[combinator]
            if len(rest) == 1:
                node.update(rest[0])
            else:
                node[combinator] = rest
            node["nullable"] = True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    return node


def openapi_components(model: type[ConcernAnswers]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The model's OpenAPI schema, and the schemas of the models inside it (for components)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
    defs = schema.pop("$defs", {})
    signs = schema.get("properties", {}).get("signs")
    if signs is not None:
        # The checklist codes are checked by a validator, which JSON Schema cannot see: list them.
        signs["items"] = {"type": "string", "enum": list(Sign.values)}
        signs["uniqueItems"] = True
    return _openapi(schema), {name: _openapi(sub) for name, sub in defs.items()}


class ConcernSubmissionExtension(OpenApiSerializerExtension):
    """Lets `extend_schema(request=ConcernSubmission)` document the body, in OpenAPI 3.0 terms."""

    target_class = "safeguarding.concerns.api.schemas.ConcernSubmission"
    priority = 1  # ahead of drf-spectacular's own pydantic extension, which writes JSON Schema 2020-12

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return "ConcernSubmission"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema, parts = openapi_components(ConcernSubmission)
        for name, part in parts.items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=part)
            )
        return schema
