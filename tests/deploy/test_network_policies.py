"""deploy/'s NetworkPolicies, evaluated the way Kubernetes does (a pod selected by any policy of a direction
accepts only what one of them allows; peers by pod labels, namespace labels or IP block; ports by number or
the destination's port name) over the pods the manifests render. Checked: only the gateway is reachable
from outside and only it reaches the services; every process reaches identity's keys, NATS and PostgreSQL;
Prometheus scrapes from a labelled namespace; NATS monitoring is reachable by nobody else; the RRC portal
stand-in exists in the demo overlay only, reachable by compliance alone."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from deploy_kustomize import render

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NAMESPACE = "wellflow"
SCRAPER = {"kubernetes.io/metadata.name": "monitoring", "wellflow.io/metrics-scraper": "true"}
OTHER = {"kubernetes.io/metadata.name": "default"}
SERVICES = ("identity", "wells", "production", "compliance", "accounting", "integrations")


@dataclass(frozen=True)
class Pod:
    name: str
    labels: dict[str, str]
    ports: dict[str, int] = field(default_factory=dict)
    namespace: str = NAMESPACE
    namespace_labels: dict[str, str] = field(default_factory=lambda: {"kubernetes.io/metadata.name": NAMESPACE})
    ip: str = "10.0.0.10"


def outside(ip: str = "203.0.113.9") -> Pod:
    """A client outside the cluster (a tenant's system, a browser through the load balancer)."""
    return Pod("outside", {}, namespace="", namespace_labels={}, ip=ip)


def elsewhere(namespace_labels: dict[str, str]) -> Pod:
    return Pod(
        "other",
        {"app": "x"},
        namespace=namespace_labels["kubernetes.io/metadata.name"],
        namespace_labels=namespace_labels,
    )


def _matches(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    selector = selector or {}
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _peer(peer: dict[str, Any], pod: Pod) -> bool:
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        address = ipaddress.ip_address(pod.ip)
        inside = address in ipaddress.ip_network(block["cidr"])
        return inside and not any(address in ipaddress.ip_network(c) for c in block.get("except", []))
    if "namespaceSelector" in peer:
        if not pod.namespace or not _matches(peer["namespaceSelector"], pod.namespace_labels):
            return False
    elif pod.namespace != NAMESPACE:
        return False
    return "podSelector" not in peer or _matches(peer["podSelector"], pod.labels)


def _port(rule_ports: list[dict[str, Any]] | None, destination: Pod, port: int) -> bool:
    if not rule_ports:
        return True
    for entry in rule_ports:
        wanted = entry["port"]
        number = destination.ports.get(wanted) if isinstance(wanted, str) else wanted
        if number == port:
            return True
    return False


def _direction(policies, pod: Pod, kind: str, peer: Pod, destination: Pod, port: int) -> bool:
    key, peers = ("ingress", "from") if kind == "Ingress" else ("egress", "to")
    selecting = [
        p
        for p in policies
        if pod.namespace == NAMESPACE
        and kind in p["spec"]["policyTypes"]
        and _matches(p["spec"]["podSelector"], pod.labels)
    ]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(key) or []:
            if (not rule.get(peers) or any(_peer(p, peer) for p in rule[peers])) and _port(
                rule.get("ports"), destination, port
            ):
                return True
    return False


class Cluster:
    def __init__(self, kustomization: str) -> None:
        documents = render(DEPLOY / kustomization)
        self.policies = [d for d in documents if d["kind"] == "NetworkPolicy"]
        self.pods: dict[str, Pod] = {}
        for document in documents:
            if document["kind"] not in ("Deployment", "StatefulSet", "Job"):
                continue
            template = document["spec"]["template"]
            ports = {
                port["name"]: port["containerPort"]
                for container in template["spec"]["containers"]
                for port in container.get("ports", [])
            }
            self.pods[document["metadata"]["name"]] = Pod(
                document["metadata"]["name"], template["metadata"]["labels"], ports
            )

    def reaches(self, source: Pod | str, destination: str, port: int | str) -> bool:
        source = self.pods[source] if isinstance(source, str) else source
        target = self.pods[destination]
        number = target.ports[port] if isinstance(port, str) else port
        egress = _direction(self.policies, source, "Egress", target, target, number)
        return egress and _direction(self.policies, target, "Ingress", source, target, number)

    def reaches_outside(self, source: str, ip: str, port: int) -> bool:
        return _direction(self.policies, self.pods[source], "Egress", outside(ip), outside(ip), port)


@pytest.fixture(scope="module", params=["base", "overlays/production", "overlays/demo"])
def cluster(request) -> Cluster:
    return Cluster(request.param)


def test_only_the_gateway_is_reachable_from_outside(cluster):
    assert cluster.reaches(outside(), "gateway", "http")
    for name in SERVICES:
        assert not cluster.reaches(outside(), name, "http"), name
        assert not cluster.reaches(elsewhere(OTHER), name, "http"), name


def test_only_the_gateway_reaches_the_services_and_everyone_reaches_identitys_keys(cluster):
    for name in SERVICES:
        assert cluster.reaches("gateway", name, "http"), name
        if name != "identity":
            assert cluster.reaches(name, "identity", "http"), f"{name} cannot fetch the JWKS"
        for other in SERVICES:
            if other not in (name, "identity"):
                assert not cluster.reaches(name, other, "http"), f"{name} reaches {other}"
    assert cluster.reaches("wells-migrate", "nats", "client") and not cluster.reaches("wells-migrate", "wells", "http")


def test_services_reach_nats_and_postgresql_and_nothing_else_outside(cluster):
    for name in (*SERVICES, "gateway"):
        assert cluster.reaches(name, "nats", "client"), name
        assert not cluster.reaches(name, "nats", "monitor"), name
        assert not cluster.reaches(name, "nats", "cluster"), name
    for name in SERVICES:
        assert cluster.reaches_outside(name, "198.51.100.7", 5432), name  # the managed PostgreSQL
        if name != "integrations":  # its webhooks: test_integrations_delivers_webhooks_...
            assert not cluster.reaches_outside(name, "198.51.100.7", 443), name
        assert cluster.reaches_outside(f"{name}-migrate", "198.51.100.7", 5432), name
    assert cluster.reaches("nats", "nats", "cluster") and cluster.reaches("nats-stream", "nats", "client")


def test_tenants_reach_nats_clients_but_not_its_monitoring(cluster):
    assert cluster.reaches(outside(), "nats", "client")
    assert not cluster.reaches(outside(), "nats", "monitor")
    assert not cluster.reaches(outside(), "nats", "cluster")
    assert not cluster.reaches(elsewhere(OTHER), "nats", "monitor")


def test_prometheus_scrapes_from_a_labelled_namespace(cluster):
    prometheus = elsewhere(SCRAPER)
    for name in SERVICES:
        assert cluster.reaches(prometheus, name, "http"), name
    assert cluster.reaches(prometheus, "nats", "monitor")
    unlabelled = elsewhere({"kubernetes.io/metadata.name": "monitoring"})
    assert not cluster.reaches(unlabelled, "wells", "http") and not cluster.reaches(unlabelled, "nats", "monitor")


def test_the_rrc_portal_stand_in_is_a_demo_tool_reachable_by_compliance_only():
    assert "rrc-portal" not in Cluster("overlays/production").pods
    assert "rrc-portal" not in Cluster("base").pods
    demo = Cluster("overlays/demo")
    assert demo.reaches("compliance", "rrc-portal", "http")
    for source in ("wells", "gateway", "production"):
        assert not demo.reaches(source, "rrc-portal", "http"), source
    assert not demo.reaches(outside(), "rrc-portal", "http")


def test_the_evaluator_refuses_what_no_policy_allows():
    """The model above is strict: a namespace with only a default deny lets nothing in."""
    pod = Pod("x", {"app": "x"}, {"http": 80})
    deny = [{"spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}]
    assert not _direction(deny, pod, "Ingress", outside(), pod, 80)
    assert _direction([], pod, "Ingress", outside(), pod, 80)


def test_integrations_delivers_webhooks_to_public_https_endpoints_only(cluster):
    assert cluster.reaches_outside("integrations", "203.0.113.9", 443)
    for private in ("10.0.0.5", "192.168.1.1", "169.254.169.254", "172.20.0.1"):
        assert not cluster.reaches_outside("integrations", private, 443), private
    assert not cluster.reaches_outside("integrations", "203.0.113.9", 80)
    assert not cluster.reaches_outside("wells", "203.0.113.9", 443)


def test_identity_alone_reaches_a_mail_server_for_invitations_and_password_links(cluster):
    for port in (587, 465):
        assert cluster.reaches_outside("identity", "198.51.100.25", port)
        assert cluster.reaches_outside("identity", "10.0.0.25", port)  # a relay inside the operator's network
        assert not cluster.reaches_outside("wells", "198.51.100.25", port)
    assert not cluster.reaches_outside("identity", "198.51.100.25", 25)
