"""A small JSON Schema validator (the draft 2020-12 keywords the Compose specification and the
Kubernetes schemas use), so the deployment files are checked against the vendored schemas with no
network and no extra package. When the ``jsonschema`` package is installed the tests run it too.

Supported: $ref (local JSON pointers), type, enum, const, properties, patternProperties,
additionalProperties, unevaluatedProperties (properties evaluated here and by the applicators that
passed), required, items, prefixItems, allOf, anyOf, oneOf, not, minimum, maximum, exclusiveMinimum,
exclusiveMaximum, minLength, maxLength, pattern, minItems, maxItems, uniqueItems, minProperties,
maxProperties. Annotations (description, format, x-kubernetes-*, ...) are ignored, as validators do by
default.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parents[2] / "deploy" / "schemas"

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Validator:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise ValueError(f"only local references are supported: {ref}")
        node: Any = self.root
        for part in ref[1:].split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def errors(self, instance: Any, schema: Any, path: str = "$") -> list[str]:
        return self._validate(instance, schema, path)[0]

    def _validate(self, value: Any, schema: Any, path: str) -> tuple[list[str], set[str]]:
        """(errors, names of the object's properties this schema evaluated)."""
        if schema is True or schema == {}:
            return [], set()
        if schema is False:
            return [f"{path}: not allowed here"], set()
        errors: list[str] = []
        evaluated: set[str] = set()

        def sub(instance: Any, subschema: Any, where: str) -> list[str]:
            found, names = self._validate(instance, subschema, where)
            if not found and where == path:
                evaluated.update(names)
            return found

        if "$ref" in schema:
            errors += sub(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_TYPES[t](value) for t in types):
                errors.append(f"{path}: {json.dumps(value)[:60]} is not of type {' or '.join(types)}")
                return errors, evaluated
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
        if "const" in schema and value != schema["const"]:
            errors.append(f"{path}: {value!r} is not {schema['const']!r}")
        for keyword in ("allOf",):
            for subschema in schema.get(keyword, []):
                errors += sub(value, subschema, path)
        if "anyOf" in schema:
            results = [self._validate(value, s, path) for s in schema["anyOf"]]
            passing = [names for found, names in results if not found]
            if not passing:
                errors.append(f"{path}: matches none of anyOf ({'; '.join(r[0][0] for r in results if r[0])})")
            for names in passing:
                evaluated.update(names)
        if "oneOf" in schema:
            results = [self._validate(value, s, path) for s in schema["oneOf"]]
            passing = [names for found, names in results if not found]
            if len(passing) != 1:
                detail = "; ".join(r[0][0] for r in results if r[0])[:400]
                errors.append(f"{path}: matches {len(passing)} of oneOf, exactly one required ({detail})")
            else:
                evaluated.update(passing[0])
        if "not" in schema and not self._validate(value, schema["not"], path)[0]:
            errors.append(f"{path}: must not match {schema['not']}")
        if isinstance(value, dict):
            errors += self._object(value, schema, path, evaluated)
        elif isinstance(value, list):
            errors += self._array(value, schema, path)
        elif isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                errors.append(f"{path}: shorter than {schema['minLength']}")
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                errors.append(f"{path}: longer than {schema['maxLength']}")
            if "pattern" in schema and not _regex(schema["pattern"]).search(value):
                errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
        elif _TYPES["number"](value):
            for keyword, fails in (
                ("minimum", lambda v, b: v < b),
                ("maximum", lambda v, b: v > b),
                ("exclusiveMinimum", lambda v, b: v <= b),
                ("exclusiveMaximum", lambda v, b: v >= b),
            ):
                if keyword in schema and fails(value, schema[keyword]):
                    errors.append(f"{path}: {value} violates {keyword} {schema[keyword]}")
        return errors, evaluated

    def _object(self, value: dict[str, Any], schema: dict[str, Any], path: str, evaluated: set[str]) -> list[str]:
        errors: list[str] = []
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: {name!r} is required")
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            errors.append(f"{path}: fewer than {schema['minProperties']} properties")
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            errors.append(f"{path}: more than {schema['maxProperties']} properties")
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for name, item in value.items():
            where = f"{path}.{name}"
            matched = False
            if name in properties:
                matched = True
                errors += self._validate(item, properties[name], where)[0]
            for pattern, subschema in patterns.items():
                if _regex(pattern).search(name):
                    matched = True
                    errors += self._validate(item, subschema, where)[0]
            if matched:
                evaluated.add(name)
            elif "additionalProperties" in schema:
                evaluated.add(name)
                if schema["additionalProperties"] is False:
                    errors.append(f"{path}: unknown property {name!r}")
                else:
                    errors += self._validate(item, schema["additionalProperties"], where)[0]
        if "unevaluatedProperties" in schema:
            for name in value:
                if name in evaluated:
                    continue
                if schema["unevaluatedProperties"] is False:
                    errors.append(f"{path}: unknown property {name!r}")
                else:
                    errors += self._validate(value[name], schema["unevaluatedProperties"], f"{path}.{name}")[0]
                evaluated.add(name)
        return errors

    def _array(self, value: list[Any], schema: dict[str, Any], path: str) -> list[str]:
        errors: list[str] = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        prefix = schema.get("prefixItems", [])
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if index < len(prefix):
                errors += self._validate(item, prefix[index], where)[0]
            elif "items" in schema:
                errors += self._validate(item, schema["items"], where)[0]
        if schema.get("uniqueItems"):
            seen = [json.dumps(item, sort_keys=True) for item in value]
            if len(seen) != len(set(seen)):
                errors.append(f"{path}: items are not unique")
        return errors


def compose_errors(document: dict[str, Any]) -> list[str]:
    schema = load("compose-spec.json")
    return Validator(schema).errors(document, schema)


KUBERNETES_SCHEMAS = "kubernetes-v1.33.0-strict.json"
# the Prometheus Operator's custom resources (ServiceMonitor, PodMonitor, PrometheusRule): vendor_prometheus_operator.py
CRD_SCHEMAS = "prometheus-operator-v0.93.0-crds.json"


def schema_for(manifest: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the schema of the manifest's apiVersion and kind, the document holding it), or None when none is vendored."""
    key = f"{manifest.get('apiVersion')}/{manifest.get('kind')}"
    for name in (KUBERNETES_SCHEMAS, CRD_SCHEMAS):
        root = load(name)
        if key in root["kinds"]:
            return root["kinds"][key], root
    return None


def kubernetes_errors(manifest: dict[str, Any]) -> list[str]:
    """Errors of one manifest against the vendored strict schema of its apiVersion and kind."""
    found = schema_for(manifest)
    if found is None:
        return [f"{manifest.get('kind')} {manifest.get('apiVersion')}: no vendored schema (add it to deploy/schemas)"]
    schema, root = found
    name = (manifest.get("metadata") or {}).get("name", "?")
    return [f"{manifest['kind']} {name}: {e}" for e in Validator(root).errors(manifest, schema)]


def jsonschema_errors(document: dict[str, Any], schema: dict[str, Any], root: dict[str, Any]) -> list[str] | None:
    """The same check with the ``jsonschema`` package, or None when it is not installed."""
    try:
        import jsonschema
    except ImportError:
        return None
    wrapped = schema if schema is root else {**schema, "$defs": root.get("$defs", {})}
    validator = jsonschema.Draft202012Validator(wrapped)
    return [f"{'.'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
