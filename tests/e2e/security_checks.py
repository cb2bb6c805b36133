"""Cross-tenant probing generated from the gateway's merged OpenAPI document.

Organization A (the victim) creates representative data through the public API (``SEEDS`` in
security_seeds.py); every UUID in A's answers is harvested under the field name it came in (an ``id`` is
named after the resource it identifies: ``id`` of a well is ``well_id``, of a tank under ``tanks``
``tank_id``). Then organization B (the intruder) calls every operation of the document with A's ids in its
path, its query filters and its body, and each answer is judged by ``probe_cross_tenant``. A new route is
covered as soon as its service serves it: nothing here lists routes.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from e2e_waiting import NotYet

from wellflow_servicekit.testing import until

PASSWORD = "correct horse battery staple"
METHODS = ("get", "put", "post", "patch", "delete")
UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PATH_PARAMETER = re.compile(r"\{([^}]+)\}")

# What organization B may be answered on an operation whose path holds organization A's ids:
REFUSALS = {
    403: "refused by a permission or tenancy check",
    404: "A's resource does not exist for B (the platform's rule for another tenant's ids)",
    # FastAPI validates the query and the body before the handler runs, so a 422 comes before any lookup of
    # A's resource and says nothing about it. Such operations are listed as not reaching the lookup.
    422: "B's request was invalid before any lookup",
    # A correction without the version it corrects (If-Match) is refused before the record is read.
    428: "precondition (If-Match or version) required before any lookup",
}


async def merged_document(gateway: httpx.AsyncClient, seconds: float = 20) -> dict[str, Any]:
    """The gateway's merged OpenAPI document once every routed service has answered for it. On a busy
    machine a service may miss the gateway's 3 s fetch; the gateway retries after 5 s, and so do we."""

    async def merged() -> Any:
        document = (await gateway.get("/openapi.json")).json()
        unavailable = document["x-wellflow-merge"]["unavailable"]
        return NotYet(f"services never answered: {unavailable}") if unavailable else document

    return await until(merged, seconds, "every routed service in the merged OpenAPI document", every=1)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _singular(key: str) -> str:
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


@dataclass
class Exchange:
    """One request A made while seeding: replayed by B as a body known to be valid for the operation."""

    method: str
    path: str
    body: Any


@dataclass
class TenantData:
    """What one organization owns, as seen through the API: ids by field name, names, and its requests."""

    client: httpx.AsyncClient
    token: str
    ids: dict[str, list[str]] = field(default_factory=dict)
    scalars: dict[str, Any] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    exchanges: list[Exchange] = field(default_factory=list)
    tag: str = field(default_factory=lambda: secrets.token_hex(3))
    routes: set[tuple[str, str]] = field(default_factory=set)  # (method, path template) the system serves
    seed_problems: list[str] = field(default_factory=list)

    def serves(self, method: str, template: str) -> bool:
        """Whether the merged document has this operation (a seed skips what is not built yet)."""
        return (method.lower(), template) in self.routes

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def name(self, base: str) -> str:
        """A name unique to this organization; B's answers must never contain it."""
        value = f"{base} {self.tag}"
        self.names.add(value)
        return value

    def first(self, key: str) -> str:
        return self.ids[key][0]

    def all_ids(self) -> set[str]:
        return {value for values in self.ids.values() for value in values}

    async def call(
        self, method: str, path: str, *, resource: str | None = None, json_body: Any = None, auth: bool = True
    ) -> Any:
        """Make a request as this organization; it must succeed. Harvests the answer's ids."""
        response = await self.client.request(method, path, json=json_body, headers=self.headers if auth else {})
        assert response.is_success, f"seed {method} {path}: {response.status_code} {response.text}"
        self.exchanges.append(Exchange(method.lower(), path, json_body))
        body = response.json() if response.content else None
        self.harvest(body, resource)
        return body

    async def call_eventually(
        self,
        method: str,
        path: str,
        *,
        resource: str | None = None,
        json_body: Any = None,
        seconds: float = 10,
        strict: bool = True,
        content: str | None = None,
        content_type: str | None = None,
        ready: Callable[[Any], bool] | None = None,
    ) -> Any:
        """Like ``call``, for a request that needs facts another service publishes (production learns of a
        well from wells' events): retried while it is refused, or while ``ready`` says no to the body of an
        answer (a list the events have not filled yet), until ``seconds`` have passed. Not ``strict``
        (a service still being built), a refusal is noted in ``seed_problems`` and answers None. A body that
        is not JSON (a CSV file) goes in ``content`` with its ``content_type``."""
        deadline = asyncio.get_running_loop().time() + seconds
        headers = {**self.headers, **({"content-type": content_type} if content_type else {})}
        while True:
            if content is None:
                response = await self.client.request(method, path, json=json_body, headers=headers)
            else:
                response = await self.client.request(method, path, content=content, headers=headers)
            filled = ready is None or not response.is_success or ready(response.json() if response.content else None)
            if (response.is_success and filled) or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.2)
        if not response.is_success and not strict:
            self.seed_problems.append(f"{method} {path}: {response.status_code} {response.text[:300]}")
            return None
        assert response.is_success, f"seed {method} {path}: {response.status_code} {response.text}"
        self.exchanges.append(Exchange(method.lower(), path, json_body))
        body = response.json() if response.content else None
        self.harvest(body, resource)
        return body

    def harvest(self, value: Any, context: str | None = None) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and UUID_TEXT.match(item):
                    name = f"{context}_id" if key == "id" and context else key
                    bucket = self.ids.setdefault(name, [])
                    if item.lower() not in bucket:
                        bucket.append(item.lower())
                elif isinstance(item, dict | list):
                    self.harvest(item, context if key == "items" else _singular(key))
                elif isinstance(item, str | int) and not isinstance(item, bool):
                    self.scalars.setdefault(key, item)
        elif isinstance(value, list):
            for item in value:
                self.harvest(item, context)

    def id_for(self, parameter: str) -> tuple[str, bool] | None:
        """A's id for a parameter or field name: ``(id, True)`` when a harvested name matches it
        (``well_id`` <- ``well_id``; ``key_id`` <- ``api_key_id``), else any of A's ids and ``False``."""
        if parameter in self.ids:
            return self.ids[parameter][0], True
        for name, values in self.ids.items():
            # (a bare ``id`` from an answer without a resource name matches no parameter by name)
            if name.endswith("_" + parameter) or (
                name != "id" and parameter.endswith("_id") and parameter.endswith("_" + name)
            ):
                return values[0], True
        for values in self.ids.values():
            return values[0], False
        return None


# --- generating a request for an operation -------------------------------------------------------------


def _resolve(schema: Any, document: Mapping[str, Any]) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _is_uuid(schema: Any, document: Mapping[str, Any]) -> bool:
    schema = _resolve(schema, document)
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "uuid":
        return True
    return any(_is_uuid(branch, document) for branch in schema.get("anyOf", []) + schema.get("oneOf", []))


_PATTERN_CANDIDATES = ("1", "A", "12", "TX", "AB", "123456", "A1", "0", "abc", "2026-01", "2026-01-01")


# Free-text parameters parsed by the service (``{period}`` of a Form PR): a valid value by name.
_NAMED_STRINGS = {"period": "2026-01", "month": "2026-01", "production_month": "2026-01", "fmt": "json"}


def _string(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minLength", 1), schema.get("maxLength", 40)
    pattern = schema.get("pattern")
    if pattern:
        for candidate in _PATTERN_CANDIDATES:
            if re.search(pattern, candidate) and low <= len(candidate) <= high:
                return candidate
    text = "Bravo probe"
    return (text * (low // len(text) + 1))[: max(low, min(high, len(text)))]


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    if "minimum" in schema:
        value = schema["minimum"]
    elif "exclusiveMinimum" in schema:
        value = schema["exclusiveMinimum"] + 1
    else:
        value = 1
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    return int(value) if integer else value


def example(
    schema: Any, document: Mapping[str, Any], victim: TenantData, sent: set[str], name: str = "", depth: int = 0
) -> Any:
    """A small valid value for ``schema`` (required fields only) where every UUID is one of A's ids,
    chosen by the field's name. Ids put in the request are added to ``sent``."""
    schema = _resolve(schema, document)
    if depth > 12 or not isinstance(schema, dict):
        return None
    if _is_uuid(schema, document):
        found = victim.id_for(name or "id")
        if found is None:
            return "00000000-0000-4000-8000-000000000000"
        sent.add(found[0])
        return found[0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            branches = [b for b in schema[key] if _resolve(b, document).get("type") != "null"]
            if branches:
                return example(branches[0], document, victim, sent, name, depth + 1)
            return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            key: example(properties.get(key, {}), document, victim, sent, key, depth + 1)
            for key in schema.get("required", [])
        }
    if kind == "array":
        if "prefixItems" in schema:
            return [example(item, document, victim, sent, name, depth + 1) for item in schema["prefixItems"]]
        count = schema.get("minItems", 0)
        return [example(schema.get("items", {}), document, victim, sent, name, depth + 1) for _ in range(count)]
    if kind == "integer":
        return _number(schema, integer=True)
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-01-15"
        if fmt == "date-time":
            return "2026-01-15T12:00:00Z"
        if fmt == "email":
            return "intruder@bravo-gas.example.com"
        if name in _NAMED_STRINGS:
            return _NAMED_STRINGS[name]
        if name in victim.scalars and isinstance(victim.scalars[name], str):
            return victim.scalars[name]
        return _string(schema)
    return None


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``(method, path, operation, path item)`` for every operation of the document."""
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield method, path, item[method], item


def template_matches(template: str, path: str) -> bool:
    """Whether a concrete ``path`` is an instance of the document's path ``template``."""
    pattern = "^" + PATH_PARAMETER.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
    return re.match(pattern, path) is not None


# --- probing ---------------------------------------------------------------------------------------------


@dataclass
class Probe:
    """One call B made with A's ids, and what was wrong with the answer (nothing when ``problems`` is empty)."""

    operation: str
    service: str
    status: int
    request: dict[str, Any]
    path_ids_matched: bool
    problems: list[str]
    body_excerpt: str


@dataclass
class TenancyReport:
    probes: list[Probe]

    @property
    def failures(self) -> list[Probe]:
        return [probe for probe in self.probes if probe.problems]

    @property
    def path_operations(self) -> list[Probe]:
        return [probe for probe in self.probes if "{" in probe.operation]

    def describe(self, probes: list[Probe] | None = None) -> str:
        lines = []
        for probe in self.failures if probes is None else probes:
            lines.append(
                f"{probe.operation} [{probe.service}] -> {probe.status}: {'; '.join(probe.problems) or 'ok'}\n"
                f"    request: {json.dumps(probe.request)[:400]}\n    answer: {probe.body_excerpt}"
            )
        return "\n".join(lines)


def _leaks(text: str, victim: TenantData, sent: set[str], success: bool, request_text: str) -> list[str]:
    """A's names unless B sent them (a replayed body carries A's names); A's ids anywhere in a success, or
    in a refusal unless B itself sent that id (a 404 may repeat the id it did not find)."""
    lowered, asked = text.lower(), request_text.lower()
    found = [f"A's name {name!r}" for name in victim.names if name.lower() in lowered and name.lower() not in asked]
    found += [
        f"A's id {value}" for value in sorted(victim.all_ids()) if value in lowered and (success or value not in sent)
    ]
    return found


def build_request(
    method: str,
    path: str,
    operation: Mapping[str, Any],
    item: Mapping[str, Any],
    document: Mapping[str, Any],
    victim: TenantData,
) -> tuple[dict[str, Any], set[str], bool] | None:
    """The request B sends for one operation, the ids of A it carries, and whether every id in the path
    matched by name. ``None`` when the request would carry none of A's ids (nothing to probe)."""
    sent: set[str] = set()
    matched = True
    url = path
    query: dict[str, Any] = {}
    has_path = "{" in path
    declared = list(item.get("parameters", [])) + list(operation.get("parameters", []))
    parameters = [_resolve(parameter, document) for parameter in declared]
    for parameter in parameters:
        name, where, schema = parameter.get("name"), parameter.get("in"), parameter.get("schema", {})
        if where == "path":
            if _is_uuid(schema, document):
                # A path's own words qualify its id: ``/jib/runs/{run_id}`` takes a ``jib_run_id`` first.
                qualified = [f"{_singular(part)}_{name}" for part in path.split("/") if part and "{" not in part]
                found = next(((victim.ids[q][0], True) for q in qualified if q in victim.ids), None)
                found = found or victim.id_for(name)
                if found is None:
                    return None
                value, exact = found
                matched = matched and exact
                sent.add(value)
            else:
                value = example(schema, document, victim, sent, name)
            url = url.replace("{" + name + "}", str(value))
        # Query: required parameters always; on a path without ids also A's ids as optional filters.
        elif where == "query" and (parameter.get("required") or (not has_path and _is_uuid(schema, document))):
            query[name] = example(schema, document, victim, sent, name)
    body: Any = None
    content_type = None
    request_body = _resolve(operation.get("requestBody"), document)
    if isinstance(request_body, dict):
        content = request_body.get("content", {})
        content_type = next(iter(content), None)
        replay = [
            e for e in victim.exchanges if e.method == method and e.body is not None and template_matches(path, e.path)
        ]
        if content_type == "application/json":
            if replay:
                body = replay[-1].body
                sent |= {v for v in victim.all_ids() if v in json.dumps(body).lower()}
            else:
                body = example(content[content_type].get("schema", {}), document, victim, sent)
        elif content_type is not None:
            body = ""
    if not has_path and not sent:
        return None
    request: dict[str, Any] = {"method": method.upper(), "url": url, "params": query}
    if content_type == "application/json":
        request["json"] = body
    elif content_type is not None:
        request["content"] = body
        request["headers"] = {"content-type": content_type}
    return request, sent, matched


async def _unthrottled(
    client: httpx.AsyncClient, request: Mapping[str, Any], headers: Mapping[str, str]
) -> httpx.Response:
    """Send as a well-behaved client does: a 429 (the gateway's per-user limit, which a sweep of every route
    reaches) is waited out as its Retry-After says and sent again, so every probe is judged on a real answer."""
    for _ in range(30):
        response = await client.request(**request, headers=headers)
        if response.status_code != 429:
            return response
        await asyncio.sleep(float(response.headers.get("retry-after") or 1))
    return response


async def probe_cross_tenant(
    client: httpx.AsyncClient, document: Mapping[str, Any], victim: TenantData, intruder_headers: Mapping[str, str]
) -> TenancyReport:
    """Call every operation that can carry A's ids as B, and judge each answer:

    - an operation with ids in its path must be refused (``REFUSALS``), never 2xx, never 5xx;
    - any other operation B sends A's ids to (query filters, body references) may succeed, but then its
      answer must hold none of A's ids (a list filtered by A's lease is empty; a well B registers on A's
      lease is refused, not created);
    - no answer holds A's names, nor A's ids beyond those B itself sent.
    """
    probes = []
    for method, path, operation, item in operations(document):
        built = build_request(method, path, operation, item, document, victim)
        if built is None:
            continue
        request, sent, matched = built
        headers = {**intruder_headers, **request.pop("headers", {})}
        response = await _unthrottled(client, request, headers)
        text = response.text
        problems = []
        if response.status_code >= 500:
            problems.append("server error")
        elif "{" in path and response.status_code not in REFUSALS:
            problems.append("answered with A's resource" if response.is_success else "not a refusal")
        elif response.status_code == 401:
            problems.append("B's token was not accepted: nothing was tested")
        problems += _leaks(text, victim, sent, response.is_success, json.dumps(request))
        probes.append(
            Probe(
                operation=f"{method.upper()} {path}",
                service=str(operation.get("x-wellflow-service", "")),
                status=response.status_code,
                request=request,
                path_ids_matched=matched,
                problems=problems,
                body_excerpt=text[:300],
            )
        )
    return TenancyReport(probes)
