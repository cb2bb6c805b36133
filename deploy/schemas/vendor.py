"""Refresh the vendored schemas the deployment tests validate against (tests/deploy), from PyPI wheels.

    python deploy/schemas/vendor.py [--kubernetes v1.33.0]

- compose-spec.json: the Compose specification's JSON schema as check-jsonschema vendors it;
- kubernetes-<version>-strict.json: the strict schemas (unknown fields are errors) of the kinds WellFlow
  deploys, from the kubernetes-json-schema set bundled in kubernetes-validate, pruned to the definitions
  those kinds reach and without descriptions (124 KB instead of 1.4 MB per version).

Both sources are Apache-2.0. Add a kind to KINDS when a manifest in deploy/ starts using one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KINDS = {
    "v1/ConfigMap": "configmap-v1.json",
    "v1/Service": "service-v1.json",
    "v1/ServiceAccount": "serviceaccount-v1.json",
    "v1/Secret": "secret-v1.json",
    "v1/Namespace": "namespace-v1.json",
    "apps/v1/Deployment": "deployment-apps-v1.json",
    "apps/v1/StatefulSet": "statefulset-apps-v1.json",
    "batch/v1/Job": "job-batch-v1.json",
    "policy/v1/PodDisruptionBudget": "poddisruptionbudget-policy-v1.json",
    "autoscaling/v2/HorizontalPodAutoscaler": "horizontalpodautoscaler-autoscaling-v2.json",
    "networking.k8s.io/v1/NetworkPolicy": "networkpolicy-networking-v1.json",
}


def _download(package: str, folder: Path) -> zipfile.ZipFile:
    subprocess.run(  # noqa: S603 - pip of this interpreter, a package name of ours
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), package], check=True
    )
    (wheel,) = folder.glob(f"{package.replace('-', '_')}-*.whl")
    return zipfile.ZipFile(wheel)


def _rewrite(node: Any) -> Any:
    """Drop descriptions and point references at this file's own $defs."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "description":
                continue
            if key == "$ref":
                value = "#/$defs/" + value.split("#/$defs/")[1]
            out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].split("#/$defs/")[1]} if "$ref" in node else set()
        for key, value in node.items():
            if key != "$ref":
                found |= _references(value)
        return found
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node)) if node else set()
    return set()


def vendor_kubernetes(archive: zipfile.ZipFile, version: str) -> Path:
    base = f"kubernetes_validate/kubernetes-json-schema/{version}-local-strict"
    definitions = json.loads(archive.read(f"{base}/_definitions.json"))["$defs"]
    kinds = {}
    for key, name in KINDS.items():
        schema = _rewrite(json.loads(archive.read(f"{base}/{name}")))
        schema.pop("$schema", None)
        schema.pop("$id", None)
        kinds[key] = schema
    needed: set[str] = set()
    pending = list(_references(kinds))
    while pending:
        name = pending.pop()
        if name not in needed:
            needed.add(name)
            pending += _references(definitions[name])
    target = HERE / f"kubernetes-{version}-strict.json"
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Kubernetes {version} strict schemas (additionalProperties false) for the kinds WellFlow "
        "deploys, pruned from the kubernetes-json-schema set bundled in the kubernetes-validate wheel "
        "(Apache-2.0); descriptions removed. Regenerate with deploy/schemas/vendor.py.",
        "kinds": kinds,
        "$defs": {name: _rewrite(definitions[name]) for name in sorted(needed)},
    }
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes", default="v1.33.0", help="Kubernetes version of the schemas")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        compose = _download("check-jsonschema", Path(folder))
        (HERE / "compose-spec.json").write_bytes(
            compose.read("check_jsonschema/builtin_schemas/vendor/compose-spec.json")
        )
        print(f"wrote {HERE / 'compose-spec.json'}")
        print(f"wrote {vendor_kubernetes(_download('kubernetes-validate', Path(folder)), args.kubernetes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
