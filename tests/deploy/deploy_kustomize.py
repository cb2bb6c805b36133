"""Render a kustomization the way ``kustomize build`` does, for the features deploy/ uses, so the
manifests can be checked on a machine without kubectl. Anything else in a kustomization.yaml is an
error here, never silently ignored; where kubectl is installed the tests compare both renderings.

Supported: ``resources`` (YAML files and folders with a kustomization), ``namespace``, ``labels``
(``pairs``; selectors and templates untouched, as with kustomize's defaults), ``images`` (``newName``,
``newTag``), ``configMapGenerator`` with ``files`` and ``generatorOptions.disableNameSuffixHash``, and
``patches`` holding JSON 6902 operations with a ``target`` of kind and name.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "labels",
    "images",
    "configMapGenerator",
    "generatorOptions",
    "patches",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass"}


class KustomizeError(ValueError):
    pass


def render(directory: Path) -> list[dict[str, Any]]:
    directory = Path(directory)
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text()) or {}
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise KustomizeError(f"{directory}: unsupported kustomization fields {sorted(unknown)}")

    documents: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            documents += render(path)
        else:
            documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    documents += _generate_config_maps(directory, kustomization)

    for patch in kustomization.get("patches", []):
        _apply_patch(documents, patch, directory)
    if "namespace" in kustomization:
        for document in documents:
            if document["kind"] not in CLUSTER_SCOPED:
                document.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    for label in kustomization.get("labels", []):
        if set(label) - {"pairs"}:
            raise KustomizeError(f"{directory}: labels support only 'pairs', got {sorted(label)}")
        for document in documents:
            document.setdefault("metadata", {}).setdefault("labels", {}).update(label["pairs"])
    for image in kustomization.get("images", []):
        for document in documents:
            _set_image(document, image)
    _check_unique(documents, directory)
    return documents


def _generate_config_maps(directory: Path, kustomization: dict[str, Any]) -> list[dict[str, Any]]:
    generators = kustomization.get("configMapGenerator", [])
    if not generators:
        return []
    if not (kustomization.get("generatorOptions") or {}).get("disableNameSuffixHash"):
        raise KustomizeError(f"{directory}: only generators with disableNameSuffixHash: true are supported")
    maps = []
    for generator in generators:
        if set(generator) - {"name", "files"}:
            raise KustomizeError(f"{directory}: configMapGenerator supports name and files, got {sorted(generator)}")
        data = {}
        for entry in generator["files"]:
            key, _, source = entry.partition("=") if "=" in entry else (Path(entry).name, "", entry)
            path = (directory / source).resolve()
            if directory.resolve() not in path.parents:
                raise KustomizeError(f"{directory}: {entry} is outside the kustomization (kustomize refuses it)")
            data[key] = path.read_text()
        maps.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": data})
    return maps


def _apply_patch(documents: list[dict[str, Any]], patch: dict[str, Any], directory: Path) -> None:
    target = patch.get("target") or {}
    if set(target) - {"kind", "name"} or "patch" not in patch:
        raise KustomizeError(f"{directory}: patches need a target of kind and name and inline JSON 6902 operations")
    operations = yaml.safe_load(patch["patch"])
    matched = [d for d in documents if d["kind"] == target["kind"] and d["metadata"]["name"] == target["name"]]
    if not matched:
        raise KustomizeError(f"{directory}: patch target {target} matches no resource")
    for document in matched:
        for operation in operations:
            _json_patch(document, operation)


def _json_patch(document: dict[str, Any], operation: dict[str, Any]) -> None:
    """RFC 6902 add, replace and remove."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in operation["path"].split("/")[1:]]
    parent: Any = document
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last, op = parts[-1], operation["op"]
    value = copy.deepcopy(operation.get("value"))
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "add":
            parent.insert(index, value)
        elif op == "replace":
            parent[index] = value
        elif op == "remove":
            del parent[index]
        else:
            raise KustomizeError(f"unsupported patch operation {op}")
        return
    if op in ("replace", "remove") and last not in parent:
        raise KustomizeError(f"patch path {operation['path']} does not exist")
    if op in ("add", "replace"):
        parent[last] = value
    elif op == "remove":
        del parent[last]
    else:
        raise KustomizeError(f"unsupported patch operation {op}")


def _set_image(document: dict[str, Any], image: dict[str, Any]) -> None:
    spec = document.get("spec") or {}
    template = (spec.get("jobTemplate") or {}).get("spec", spec).get("template") or {}
    pod = template.get("spec") or {}
    for container in [*pod.get("containers", []), *pod.get("initContainers", [])]:
        name, _, tag = container["image"].partition(":")
        if name == image["name"]:
            container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"


def _check_unique(documents: list[dict[str, Any]], directory: Path) -> None:
    seen: set[tuple[str, str, str]] = set()
    for document in documents:
        key = (document["kind"], document["metadata"].get("namespace", ""), document["metadata"]["name"])
        if key in seen:
            raise KustomizeError(f"{directory}: {key} is defined twice")
        seen.add(key)


def identity(document: dict[str, Any]) -> tuple[str, str, str]:
    return document["kind"], document["metadata"].get("namespace", ""), document["metadata"]["name"]
