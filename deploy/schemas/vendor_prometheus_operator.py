"""Vendor the Prometheus Operator's CRD schemas the deployment tests validate deploy/observability against.

    python deploy/schemas/vendor_prometheus_operator.py --crds <folder> --version v0.93.0

``<folder>`` holds a release's ``monitoring.coreos.com_<plural>.yaml`` files, as the prometheus-operator
repository ships them in ``example/prometheus-operator-crd-full/`` (Apache-2.0). Kept: the served, stored
version's ``openAPIV3Schema`` of the kinds in KINDS, without descriptions, and made strict the way the API
server's strict field validation is (an object schema with properties and nothing else said about extra
fields refuses unknown ones), so a misspelt field is an error here as it is for ``kubectl apply``.
Written to ``prometheus-operator-<version>-crds.json`` with its source and version.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
KINDS = ["servicemonitors", "podmonitors", "prometheusrules"]
SOURCE = (
    "https://github.com/prometheus-operator/prometheus-operator/tree/{version}/example/prometheus-operator-crd-full"
)


def strict(node: Any) -> Any:
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned = {key: strict(value) for key, value in node.items() if key != "description"}
    if (
        "properties" in cleaned
        and "additionalProperties" not in cleaned
        and not cleaned.get("x-kubernetes-preserve-unknown-fields")
    ):
        cleaned["additionalProperties"] = False
    return cleaned


def vendor(crds: Path, version: str) -> Path:
    kinds: dict[str, Any] = {}
    for plural in KINDS:
        crd = yaml.safe_load((crds / f"monitoring.coreos.com_{plural}.yaml").read_text())
        (served,) = [v for v in crd["spec"]["versions"] if v.get("served") and v.get("storage")]
        schema = strict(served["schema"]["openAPIV3Schema"])
        # apiVersion, kind and metadata are the API server's: check them as it does
        schema["properties"]["metadata"] = {"type": "object"}
        key = f"{crd['spec']['group']}/{served['name']}/{crd['spec']['names']['kind']}"
        kinds[key] = schema
    target = HERE / f"prometheus-operator-{version}-crds.json"
    document = {"source": SOURCE.format(version=version), "version": version, "kinds": kinds}
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crds", type=Path, required=True, help="folder with monitoring.coreos.com_*.yaml")
    parser.add_argument("--version", required=True, help="the prometheus-operator release, e.g. v0.93.0")
    args = parser.parse_args()
    print(f"wrote {vendor(args.crds, args.version)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
