"""OpenAPI: every refusal the kernel can give is documented as application/problem+json.

422 (the request breaks its schema) on every operation that takes input, 404 on every
operation that names a thing in its path, 409 on every write, 503 (database or upstream
down) on every operation, and any 4xx/5xx a route declares itself gets the problem content.
"""

from typing import Any

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ValidationProblem",
    "allOf": [
        PROBLEM_REF,
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {"type": "array", "items": {}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                }
            },
        },
    ],
}
KERNEL_PROBLEMS = {
    "400": "BAD_REQUEST: the body could not be read as JSON",
    "404": "NOT_FOUND: nothing is at this path, or the thing it names is not yours to see",
    "409": "a stable code says which rule refused the change (see its `type` page)",
    "503": "DATABASE_UNAVAILABLE or UPSTREAM_*: try again after `Retry-After` seconds",
}
WRITES = {"post", "put", "patch", "delete"}
FASTAPI_422 = "Validation Error"  # FastAPI's own description of a request that breaks its schema
OPERATIONAL_PATHS = {"/healthz", "/readyz", "/metrics", "/asyncapi.json"}


def _content(ref: dict[str, Any]) -> dict[str, Any]:
    return {"application/problem+json": {"schema": ref}}


def add_kernel_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the kernel's problem answers on every operation of `schema` (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for path, path_item in schema.get("paths", {}).items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if path not in OPERATIONAL_PATHS:
                _document(responses, "503", KERNEL_PROBLEMS["503"])
                if "{" in path:
                    _document(responses, "404", KERNEL_PROBLEMS["404"])
                if method in WRITES:
                    _document(responses, "409", KERNEL_PROBLEMS["409"])
                if operation.get("requestBody"):
                    _document(responses, "400", KERNEL_PROBLEMS["400"])
            if "422" in responses or operation.get("parameters") or operation.get("requestBody"):
                # A route's own 422 codes (declared by it) stay next to the kernel's.
                own = responses.get("422", {}).get("description", "")
                described = "VALIDATION_FAILED: `errors` lists each field and what is wrong"
                responses["422"] = {
                    "description": f"{own}; {described}"
                    if own != FASTAPI_422 and own
                    else described,
                    "content": _content({"$ref": "#/components/schemas/ValidationProblem"}),
                }
            for status, response in responses.items():
                if status[:1] in {"4", "5"} and status != "422" and path not in OPERATIONAL_PATHS:
                    response["content"] = _content(PROBLEM_REF)
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    return schema


def _document(responses: dict[str, Any], status: str, description: str) -> None:
    responses.setdefault(status, {"description": description})
