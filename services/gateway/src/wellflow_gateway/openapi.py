"""One OpenAPI document for the whole system, merged from each upstream's `/openapi.json`.

Each routed service of the default cell is asked for its document (concurrently, 3 s each); the merge
is cached for GATEWAY_OPENAPI_TTL seconds (5 s when a service did not answer, so it appears soon after it
starts). Merging is collision safe:

- a path is taken from a service only if the routing table sends that path to that service, so a
  service cannot advertise (or shadow) another one's paths; dropped paths are listed under
  `x-wellflow-merge.dropped_paths`;
- components (schemas, responses, parameters, ...) that every service defining them defines alike are
  shared under their own name; a name two services define differently is renamed in EVERY service that has
  it, to `<Service><Name>` (`WellsLeaseRead`, `ComplianceLeaseRead`), with each service's `$ref`s rewritten.
  "Alike" is judged after the renaming, so a schema that refers to a renamed one is renamed with it. The rule
  depends only on the set of documents, never on their order, and a name that collides nowhere keeps its
  service's own name, so names are stable (tests/contract pins the renamed ones of the real services);
- every schema's `title` is set to its component name: generators (openapi-python-client) name classes by
  title, so unique component names give unique classes;
- operation ids are `<service>_<handler>` already (servicekit's `operation_id_function`); a duplicate is
  still prefixed with the service name; tags are merged by name.

Services that did not answer are listed under `x-wellflow-merge.unavailable`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from wellflow_gateway.routes import RouteTable

logger = logging.getLogger(__name__)

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FAILED_TTL = 5.0


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                result[key] = renames[value]
            else:
                result[key] = _rewrite_refs(value, renames)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def merge_documents(
    documents: Mapping[str, Mapping[str, Any]],
    routes: RouteTable,
    *,
    title: str = "WellFlow API",
    version: str = "1",
    unavailable: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge `documents` (service name -> OpenAPI document) as described in the module docstring."""
    renames = component_renames(documents)
    merge = _Merge(routes)
    for service in sorted(documents):
        merge.add(service, documents[service], renames.get(service, {}))
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "All WellFlow services behind the gateway. Send 'Authorization: Bearer <token>' "
            "(an access token from /api/v1/auth/signin, or an API key wfk_...).",
        },
        "paths": dict(sorted(merge.paths.items())),
        "components": merge.finished_components(),
        "x-wellflow-merge": {
            "services": sorted(documents),
            "unavailable": dict(unavailable or {}),
            "dropped_paths": merge.dropped,
            "renamed_components": _renamed_list(renames),
        },
    }
    if merge.tags:
        merged["tags"] = list(merge.tags.values())
    return merged


def component_renames(documents: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """service -> {ref: renamed ref} for every component name the services define differently.

    Repeated until nothing new collides: renaming `LeaseRead` per service makes two textually equal
    `LeasePage`s (both `$ref` `LeaseRead`) mean different things, so they are renamed too.
    """
    definitions: dict[str, dict[str, Any]] = {}  # ref -> service -> content
    for service, document in documents.items():
        for kind, entries in (document.get("components") or {}).items():
            if isinstance(entries, dict):
                for name, value in entries.items():
                    definitions.setdefault(f"#/components/{kind}/{name}", {})[service] = value
    colliding: set[str] = set()
    while True:
        renames = _renames_for(colliding, definitions)
        found = {
            ref
            for ref, by_service in definitions.items()
            if len(by_service) > 1
            and len({_canonical(_rewrite_refs(value, renames.get(svc, {}))) for svc, value in by_service.items()}) > 1
        }
        if found <= colliding:
            return renames
        colliding |= found


def _renames_for(colliding: set[str], definitions: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    taken = set(definitions)
    renames: dict[str, dict[str, str]] = {}
    for ref in sorted(colliding):
        prefix, name = ref.rsplit("/", 1)
        for service in sorted(definitions[ref]):
            candidate = f"{prefix}/{_pascal(service)}{name}"
            number = 2
            while candidate in taken:
                candidate = f"{prefix}/{_pascal(service)}{name}{number}"
                number += 1
            taken.add(candidate)
            renames.setdefault(service, {})[ref] = candidate
    return renames


def _renamed_list(renames: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    return [
        {"service": service, "component": ref.removeprefix("#/components/"), "as": new.rsplit("/", 1)[1]}
        for service in sorted(renames)
        for ref, new in sorted(renames[service].items())
    ]


def _pascal(service: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in service.split("_"))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass
class _Merge:
    """The merged parts so far; services are added one at a time, in name order."""

    routes: RouteTable
    paths: dict[str, Any] = field(default_factory=dict)
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    operation_ids: set[str] = field(default_factory=set)
    dropped: list[dict[str, str]] = field(default_factory=list)

    def add(self, service: str, document: Mapping[str, Any], renames: Mapping[str, str]) -> None:
        self._add_components(document.get("components") or {}, renames)
        self._add_paths(service, document.get("paths") or {}, renames)
        for tag in document.get("tags") or []:
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                self.tags.setdefault(tag["name"], tag)

    def finished_components(self) -> dict[str, dict[str, Any]]:
        """Components in name order, each schema titled with its (unique) component name."""
        finished = {kind: dict(sorted(entries.items())) for kind, entries in sorted(self.components.items())}
        for name, schema in finished.get("schemas", {}).items():
            if isinstance(schema, dict):
                schema["title"] = name
        return finished

    def _add_components(self, service_components: Mapping[str, Any], renames: Mapping[str, str]) -> None:
        """Copy components under their final names, with refs rewritten."""
        for kind, entries in service_components.items():
            if not isinstance(entries, dict):
                continue
            target = self.components.setdefault(kind, {})
            for name, value in entries.items():
                ref = f"#/components/{kind}/{name}"
                final = renames.get(ref, ref).rsplit("/", 1)[1]
                target.setdefault(final, _rewrite_refs(copy.deepcopy(value), renames))

    def _add_paths(self, service: str, paths: Mapping[str, Any], renames: Mapping[str, str]) -> None:
        """The paths this service really serves (the routing table sends them to it), first come first kept."""
        for path, item in paths.items():
            owner = self.routes.owner_of(path)
            if owner != service:
                self.dropped.append({"service": service, "path": path, "routed_to": owner or "nothing"})
                continue
            if path in self.paths:
                self.dropped.append({"service": service, "path": path, "routed_to": service})
                continue
            item = _rewrite_refs(copy.deepcopy(item), renames)
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    self._label(service, operation)
            self.paths[path] = item

    def _label(self, service: str, operation: dict[str, Any]) -> None:
        """Mark the operation's service; a duplicate operationId gets the service as prefix."""
        operation.setdefault("x-wellflow-service", service)
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            if op_id in self.operation_ids:
                operation["operationId"] = op_id = f"{service}__{op_id}"
            self.operation_ids.add(op_id)


class UpstreamAnswered(Exception):
    """The service answered, but not with its OpenAPI document."""


class OpenApiAggregator:
    """Fetches and merges the upstream documents, cached for `ttl` seconds."""

    def __init__(
        self,
        session_factory: Callable[[], aiohttp.ClientSession],
        upstreams: Callable[[], Mapping[str, str]],
        routes: RouteTable,
        *,
        ttl: float = 30.0,
        fetch_timeout: float = 3.0,
        version: str = "1",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session_factory
        self._upstreams = upstreams
        self.routes = routes
        self.ttl = ttl
        self.timeout = aiohttp.ClientTimeout(total=fetch_timeout)
        self.version = version
        self._clock = clock
        self._cached: dict[str, Any] | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def document(self) -> dict[str, Any]:
        if self._cached is not None and self._clock() < self._expires_at:
            return self._cached
        async with self._lock:
            if self._cached is not None and self._clock() < self._expires_at:
                return self._cached
            routed = set(self.routes.services())
            targets = {name: url for name, url in self._upstreams().items() if name in routed}
            names = sorted(targets)
            results = await asyncio.gather(*(self._fetch(targets[name]) for name in names), return_exceptions=True)
            documents: dict[str, Mapping[str, Any]] = {}
            unavailable: dict[str, str] = {}
            for name, result in zip(names, results, strict=True):
                if isinstance(result, BaseException):
                    # The type only: the message names internal hosts, and this document is public.
                    logger.warning("OpenAPI of %s not available: %s", name, result)
                    unavailable[name] = type(result).__name__
                else:
                    documents[name] = result
            merged = merge_documents(documents, self.routes, version=self.version, unavailable=unavailable)
            self._cached = merged
            self._expires_at = self._clock() + (_FAILED_TTL if unavailable else self.ttl)
            return merged

    async def _fetch(self, base: str) -> Mapping[str, Any]:
        async with self._session().get(
            base + "/openapi.json", headers={"Accept": "application/json"}, timeout=self.timeout
        ) as response:
            if response.status != 200:
                raise UpstreamAnswered(f"answered {response.status}")
            document = await response.json(content_type=None)
        if not isinstance(document, dict) or not isinstance(document.get("paths", {}), dict):
            raise ValueError("not an OpenAPI document")
        return document


DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WellFlow API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}h2{margin:24px 0 8px;font-size:17px}
details{background:#fff;border:1px solid #d8dce3;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 12px;display:flex;gap:12px;align-items:baseline}
.m{font:600 12px monospace;text-transform:uppercase;min-width:60px;padding:2px 6px;border-radius:4px;color:#fff}
.get{background:#2f7de1}.post{background:#1f9d55}.put,.patch{background:#c77c02}.delete{background:#d13c3c}
.head,.options,.trace{background:#6b7280}.p{font-family:monospace}.s{color:#586174}
.body{padding:0 14px 12px}pre{background:#f1f3f6;padding:8px;overflow:auto;border-radius:4px}
table{border-collapse:collapse}td,th{border:1px solid #d8dce3;padding:3px 8px;text-align:left;font-size:13px}
#err{color:#b00}
</style></head>
<body><header><h1>WellFlow API</h1><div id="sub">loading /openapi.json ...</div></header>
<main><p id="err"></p><div id="ops"></div><h2>Schemas</h2><div id="schemas"></div></main>
<script>
"use strict";
const el=(t,a={},...c)=>{const e=document.createElement(t);for(const[k,v]of Object.entries(a))e.setAttribute(k,v);
for(const x of c)e.append(x);return e};
const pre=o=>el("pre",{},JSON.stringify(o,null,2));
fetch("/openapi.json").then(r=>r.json()).then(doc=>{
  const merge=doc["x-wellflow-merge"]||{};
  document.getElementById("sub").textContent=(doc.info&&doc.info.description||"")+
    " Services: "+(merge.services||[]).join(", ")+
    (Object.keys(merge.unavailable||{}).length?" (not answering: "+Object.keys(merge.unavailable).join(", ")+")":"");
  const groups={};
  for(const[path,item]of Object.entries(doc.paths||{}))for(const[method,op]of Object.entries(item)){
    if(typeof op!=="object"||!op||Array.isArray(op))continue;
    const tag=(op.tags&&op.tags[0])||op["x-wellflow-service"]||"other";
    (groups[tag]=groups[tag]||[]).push([method,path,op])}
  const ops=document.getElementById("ops");
  for(const tag of Object.keys(groups).sort()){ops.append(el("h2",{},tag));
    for(const[method,path,op]of groups[tag]){const body=el("div",{class:"body"});
      if(op.description)body.append(el("p",{},op.description));
      if(op.parameters&&op.parameters.length){const t=el("table",{},el("tr",{},el("th",{},"parameter"),
        el("th",{},"in"),el("th",{},"required"),el("th",{},"schema")));
        for(const p of op.parameters)t.append(el("tr",{},el("td",{},p.name||p.$ref||""),el("td",{},p.in||""),
          el("td",{},p.required?"yes":""),el("td",{},JSON.stringify(p.schema||{}))));body.append(t)}
      if(op.requestBody){body.append(el("h4",{},"Request body"),pre(op.requestBody))}
      body.append(el("h4",{},"Responses"),pre(op.responses||{}));
      ops.append(el("details",{},el("summary",{},el("span",{class:"m "+method},method),
        el("span",{class:"p"},path),el("span",{class:"s"},op.summary||"")),body))}}
  const schemas=document.getElementById("schemas");
  for(const[name,s]of Object.entries((doc.components||{}).schemas||{}))
    schemas.append(el("details",{},el("summary",{},el("span",{class:"p"},name)),el("div",{class:"body"},pre(s))));
}).catch(e=>{document.getElementById("err").textContent="Could not load /openapi.json: "+e});
</script></body></html>
"""

DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
