"""Checks for the Jiyue Helm chart in helm/jiyue.

Two layers:

* Static checks that need only PyYAML: Chart.yaml, values.yaml, every `.Values.*`
  reference resolving to a key in values.yaml, helper names, and the env wiring,
  probes, hook annotations and beat replica count in the template sources.
* Rendering checks with real Helm: a `helm` binary on PATH if there is one, else the
  `helm-python-sdk` package (Helm's Go SDK behind ctypes). They are skipped when
  neither is installed.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

CHART_DIR = Path(__file__).resolve().parents[2] / "helm" / "jiyue"
TEMPLATES_DIR = CHART_DIR / "templates"
CI_VALUES_FILE = CHART_DIR / "ci" / "test-values.yaml"

RELEASE = "gov"
NAMESPACE = "jiyue"
FULLNAME = "gov-jiyue"

VALUES_REF = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
INCLUDE_REF = re.compile(r"""(?:include|template)\s+"([^"]+)\"""")
DEFINE_REF = re.compile(r"""define\s+"([^"]+)\"""")


def _load_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _template_files() -> list[Path]:
    return sorted(
        p for p in TEMPLATES_DIR.iterdir() if p.suffix in {".yaml", ".yml", ".tpl", ".txt"}
    )


def _template_text(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def _workload_templates() -> dict[str, str]:
    """Template files that define a Deployment or a Job."""
    found = {}
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        if re.search(r"^kind:\s*(Deployment|Job)\s*$", text, re.M):
            found[path.name] = text
    return found


# --------------------------------------------------------------------------- static


def test_chart_yaml_metadata():
    chart = _load_yaml(CHART_DIR / "Chart.yaml")
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "jiyue"
    assert chart["version"] == "0.1.0"
    # Must stay a string, not a float or a parsed version.
    assert chart["appVersion"] == "0.1.0"
    assert isinstance(chart["appVersion"], str)


def test_values_yaml_has_expected_sections():
    values = _load_yaml(CHART_DIR / "values.yaml")
    assert isinstance(values, dict)
    for key in (
        "image",
        "imagePullSecrets",
        "serviceAccount",
        "podAnnotations",
        "podSecurityContext",
        "securityContext",
        "nodeSelector",
        "tolerations",
        "affinity",
        "config",
        "secrets",
        "web",
        "worker",
        "beat",
        "migrations",
        "ingress",
    ):
        assert key in values, key
    assert set(values["image"]) >= {"repository", "tag", "pullPolicy"}
    assert values["podSecurityContext"]["runAsNonRoot"] is True
    assert values["securityContext"]["readOnlyRootFilesystem"] is True
    assert set(values["secrets"]) >= {"create", "existingSecret"}
    for component in ("web", "worker"):
        assert set(values[component]["autoscaling"]) >= {
            "enabled",
            "minReplicas",
            "maxReplicas",
            "targetCPUUtilizationPercentage",
        }
    assert set(values["ingress"]) >= {"enabled", "className", "annotations", "hosts", "tls"}
    assert any(str(h).startswith("*.") for h in values["ingress"]["hosts"])


def test_ci_values_parse():
    ci = _load_yaml(CI_VALUES_FILE)
    assert set(ci["secrets"]) >= {"databaseUrl", "redisUrl", "secretKey"}


def _walk(values, path: list[str]) -> bool:
    node = values
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def test_every_values_reference_exists_in_values_yaml():
    values = _load_yaml(CHART_DIR / "values.yaml")
    missing = []
    seen = 0
    for path in _template_files():
        for match in VALUES_REF.finditer(path.read_text(encoding="utf-8")):
            seen += 1
            keys = match.group(1).lstrip(".").split(".")
            if not _walk(values, keys):
                missing.append(f"{path.name}: .Values.{'.'.join(keys)}")
    assert seen > 0
    assert not missing, "references to keys absent from values.yaml:\n" + "\n".join(missing)


def test_included_helpers_are_defined():
    helpers = (TEMPLATES_DIR / "_helpers.tpl").read_text(encoding="utf-8")
    defined = set(DEFINE_REF.findall(helpers))
    assert {"jiyue.fullname", "jiyue.labels", "jiyue.selectorLabels", "jiyue.name"} <= defined
    used = set()
    for path in _template_files():
        used.update(INCLUDE_REF.findall(path.read_text(encoding="utf-8")))
    assert used - defined == set()


def test_expected_templates_exist():
    names = {p.name for p in _template_files()}
    assert {
        "_helpers.tpl",
        "configmap.yaml",
        "secret.yaml",
        "serviceaccount.yaml",
        "web-deployment.yaml",
        "web-service.yaml",
        "web-hpa.yaml",
        "worker-deployment.yaml",
        "worker-hpa.yaml",
        "beat-deployment.yaml",
        "migrations-job.yaml",
        "ingress.yaml",
    } <= names
    assert (CHART_DIR / "README.md").is_file()


def test_every_workload_template_has_env_wiring():
    workloads = _workload_templates()
    assert set(workloads) >= {
        "web-deployment.yaml",
        "worker-deployment.yaml",
        "beat-deployment.yaml",
        "migrations-job.yaml",
    }
    for name, text in workloads.items():
        assert re.search(r"envFrom:\s*\n\s*- configMapRef:", text), name
        assert re.search(r"- secretRef:", text), name
        assert "mountPath: /tmp" in text, name
        assert "emptyDir: {}" in text, name
        assert ".Values.securityContext" in text, name
        assert 'include "jiyue.podCommon"' in text, name
        assert 'include "jiyue.podAnnotations"' in text, name
        assert 'include "jiyue.image"' in text, name


def test_web_deployment_probes_and_command():
    text = _template_text("web-deployment.yaml")
    for probe in ("readinessProbe", "livenessProbe"):
        assert re.search(
            probe + r":\s*\n\s*httpGet:\s*\n\s*path:\s*/healthz\s*\n\s*port:\s*8000\b", text
        ), probe
    assert "- gunicorn\n" in text
    assert "- jiyue.wsgi:application\n" in text
    assert "- 0.0.0.0:8000\n" in text
    assert "- {{ .Values.web.workers | quote }}" in text
    assert "containerPort: 8000" in text


def test_worker_command():
    text = _template_text("worker-deployment.yaml")
    assert "- jiyue.celery_app\n" in text
    assert "- worker\n" in text
    assert "- default,provisioning,migrations,publishing\n" in text
    assert "- {{ .Values.worker.concurrency | quote }}" in text


def test_migrations_job_is_pre_install_and_pre_upgrade_hook():
    text = _template_text("migrations-job.yaml")
    hook = re.search(r"helm\.sh/hook:\s*(\S+)", text)
    assert hook, "missing helm.sh/hook annotation"
    events = hook.group(1).strip("\"'").split(",")
    assert "pre-install" in events and "pre-upgrade" in events
    assert re.search(r"helm\.sh/hook-weight:", text)
    policy = re.search(r"helm\.sh/hook-delete-policy:\s*(\S+)", text)
    assert policy and "before-hook-creation" in policy.group(1)
    assert "- migrate\n" in text
    assert "- {{ .Values.migrations.workers | quote }}" in text
    assert "restartPolicy: Never" in text


def test_beat_has_single_replica_and_recreate():
    text = _template_text("beat-deployment.yaml")
    assert re.search(r"^\s*replicas:\s*1\s*$", text, re.M)
    assert not re.search(r"replicas:\s*\{\{", text)
    assert re.search(r"strategy:\s*\n\s*type:\s*Recreate", text)
    assert "- beat\n" in text


# ------------------------------------------------------------------------ rendering


class RenderError(Exception):
    pass


def _deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class _HelmBinary:
    name = "helm binary"

    def __init__(self, exe: str):
        self.exe = exe

    def _run(self, args: list[str], overrides: dict | None) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [self.exe, *args]
            if overrides is not None:
                extra = Path(tmp) / "overrides.yaml"
                extra.write_text(yaml.safe_dump(overrides), encoding="utf-8")
                cmd += ["-f", str(extra)]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RenderError(proc.stderr or proc.stdout)
        return proc.stdout

    def render(self, values: dict) -> list[dict]:
        out = self._run(
            ["template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE], values
        )
        return [d for d in yaml.safe_load_all(out) if d]

    def render_files(self, values: dict) -> dict[str, str]:
        out = self._run(
            ["template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE], values
        )
        files: dict[str, str] = {}
        current = None
        for line in out.splitlines(keepends=True):
            m = re.match(r"# Source: (\S+)", line)
            if m:
                current = m.group(1)
                files.setdefault(current, "")
            elif current and line.strip() != "---":
                files[current] += line
        return files

    def lint(self, values: dict | None, strict: bool) -> list[str]:
        args = ["lint", str(CHART_DIR)] + (["--strict"] if strict else [])
        try:
            self._run(args, values)
        except RenderError as exc:
            return [str(exc)]
        return []


class _HelmPythonSDK:
    name = "helm-python-sdk"

    def __init__(self, module):
        self.helm = module

    def render_files(self, values: dict) -> dict[str, str]:
        chart = self.helm.Chart.load(str(CHART_DIR))
        try:
            files = chart.render(values=values, name=RELEASE, namespace=NAMESPACE)
        except self.helm.HelmError as exc:
            raise RenderError(str(exc)) from exc
        return {k: v for k, v in files.items() if not k.endswith("NOTES.txt")}

    def render(self, values: dict) -> list[dict]:
        docs = []
        for text in self.render_files(values).values():
            docs.extend(d for d in yaml.safe_load_all(text) if d)
        return docs

    def lint(self, values: dict | None, strict: bool) -> list[str]:
        report = self.helm.lint(str(CHART_DIR), values, strict=strict)
        limit = 2 if strict else 3
        problems = list(report.get("errors") or [])
        problems += [
            f"{m['path']}: {m['error']}"
            for m in report.get("messages") or []
            if m.get("severity", 0) >= limit
        ]
        return problems


def _backend():
    exe = shutil.which("helm")
    if exe:
        try:
            version = subprocess.run(
                [exe, "version", "--short"], capture_output=True, text=True, timeout=30
            )
            if version.returncode == 0 and version.stdout.startswith("v"):
                return _HelmBinary(exe)
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        import helm_python  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001 - missing package or native library
        return None
    return _HelmPythonSDK(helm_python)


BACKEND = _backend()
needs_helm = pytest.mark.skipif(
    BACKEND is None, reason="neither a helm binary nor helm-python-sdk is installed"
)


def _ci_values() -> dict:
    return _load_yaml(CI_VALUES_FILE)


def render(overrides: dict | None = None) -> list[dict]:
    return BACKEND.render(_deep_merge(_ci_values(), overrides or {}))


def _by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def _pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def _hook_weight(doc: dict) -> int:
    return int(doc["metadata"].get("annotations", {}).get("helm.sh/hook-weight", "0"))


@needs_helm
def test_helm_lint_passes():
    assert BACKEND.lint(_ci_values(), strict=True) == []
    # Default values lint too (`required` only warns in lint mode).
    assert BACKEND.lint(None, strict=False) == []


@needs_helm
def test_render_produces_expected_objects():
    docs = render()
    kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
    for expected in [
        ("Deployment", f"{FULLNAME}-web"),
        ("Deployment", f"{FULLNAME}-worker"),
        ("Deployment", f"{FULLNAME}-beat"),
        ("Service", f"{FULLNAME}-web"),
        ("HorizontalPodAutoscaler", f"{FULLNAME}-web"),
        ("HorizontalPodAutoscaler", f"{FULLNAME}-worker"),
        ("Job", f"{FULLNAME}-migrations"),
        ("Ingress", FULLNAME),
        ("ConfigMap", f"{FULLNAME}-config"),
        ("Secret", f"{FULLNAME}-secret"),
        ("ServiceAccount", FULLNAME),
    ]:
        assert expected in kinds, expected
    for doc in docs:
        assert doc["metadata"]["labels"]["app.kubernetes.io/instance"] == RELEASE
        assert len(doc["metadata"]["name"]) <= 63


@needs_helm
def test_rendered_configmap_and_secret_contents():
    docs = render()
    cm = _by_kind(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    assert cm["DJANGO_SETTINGS_MODULE"] == "jiyue.settings"
    assert cm["JIYUE_CONSOLE_HOST"] == "console.gov.example.cn"
    assert cm["JIYUE_S3_BUCKET"] == "jiyue-media"
    assert "JIYUE_S3_ENDPOINT_URL" in cm
    assert cm["JIYUE_ALLOWED_HOSTS"] == "console.gov.example.cn,.gov.example.cn"
    secret = _by_kind(docs, "Secret")[f"{FULLNAME}-secret"]["data"]
    assert set(secret) == {
        "DATABASE_URL",
        "REDIS_URL",
        "JIYUE_SECRET_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    }
    assert base64.b64decode(secret["REDIS_URL"]).decode() == _ci_values()["secrets"]["redisUrl"]


@needs_helm
def test_rendered_workloads_env_security_and_tmp():
    docs = render()
    configmaps = _by_kind(docs, "ConfigMap")
    secrets = _by_kind(docs, "Secret")
    workloads = list(_by_kind(docs, "Deployment").values()) + list(_by_kind(docs, "Job").values())
    assert len(workloads) == 4
    for doc in workloads:
        spec = _pod_spec(doc)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert {"name": "tmp", "emptyDir": {}} in spec["volumes"]
        assert spec.get("automountServiceAccountToken") is False
        for container in spec["containers"]:
            assert container["image"] == "registry.example.cn/jiyue/jiyue:0.1.0"
            assert container["imagePullPolicy"] == "IfNotPresent"
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            refs = container["envFrom"]
            cm_names = [r["configMapRef"]["name"] for r in refs if "configMapRef" in r]
            secret_names = [r["secretRef"]["name"] for r in refs if "secretRef" in r]
            assert len(cm_names) == 1 and cm_names[0] in configmaps, doc["metadata"]["name"]
            assert len(secret_names) == 1 and secret_names[0] in secrets, doc["metadata"]["name"]
            assert container["resources"]["requests"]["cpu"]
        annotations = doc["spec"]["template"]["metadata"]["annotations"]
        assert re.fullmatch(r"[0-9a-f]{64}", annotations["checksum/config"])


@needs_helm
def test_rendered_selectors_do_not_overlap_and_service_targets_web():
    docs = render()
    deployments = _by_kind(docs, "Deployment")
    selectors = []
    for doc in deployments.values():
        match = doc["spec"]["selector"]["matchLabels"]
        labels = doc["spec"]["template"]["metadata"]["labels"]
        assert match.items() <= labels.items()
        selectors.append(tuple(sorted(match.items())))
    assert len(set(selectors)) == len(selectors)
    service = _by_kind(docs, "Service")[f"{FULLNAME}-web"]
    assert service["spec"]["ports"][0]["port"] == 80
    assert service["spec"]["ports"][0]["targetPort"] in (8000, "http")
    sel = service["spec"]["selector"].items()
    matching = [
        name for name, d in deployments.items() if sel <= d["spec"]["template"]["metadata"]["labels"].items()
    ]
    assert matching == [f"{FULLNAME}-web"]


@needs_helm
def test_rendered_web_command_and_probes():
    web = _by_kind(render({"web": {"workers": 5}}), "Deployment")[f"{FULLNAME}-web"]
    container = _pod_spec(web)["containers"][0]
    assert container["command"] == [
        "gunicorn",
        "jiyue.wsgi:application",
        "--bind",
        "0.0.0.0:8000",
        "--workers",
        "5",
    ]
    assert {"name": "http", "containerPort": 8000, "protocol": "TCP"} in container["ports"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": 8000}
        assert container[probe]["periodSeconds"] > 0


@needs_helm
def test_rendered_worker_beat_and_migrations_commands():
    docs = render({"worker": {"concurrency": 7}, "migrations": {"workers": 3}})
    deployments = _by_kind(docs, "Deployment")
    worker = _pod_spec(deployments[f"{FULLNAME}-worker"])["containers"][0]
    assert worker["command"] == [
        "celery", "-A", "jiyue.celery_app", "worker", "-l", "info",
        "-Q", "default,provisioning,migrations,publishing", "--concurrency", "7",
    ]
    beat_doc = deployments[f"{FULLNAME}-beat"]
    assert beat_doc["spec"]["replicas"] == 1
    assert beat_doc["spec"]["strategy"] == {"type": "Recreate"}
    beat = _pod_spec(beat_doc)["containers"][0]
    assert beat["command"][:6] == ["celery", "-A", "jiyue.celery_app", "beat", "-l", "info"]
    job = _by_kind(docs, "Job")[f"{FULLNAME}-migrations"]
    assert _pod_spec(job)["containers"][0]["command"] == ["jiyue", "migrate", "--workers", "3"]
    assert _pod_spec(job)["restartPolicy"] == "Never"


@needs_helm
def test_rendered_migrations_hook_order():
    docs = render({"migrations": {"hookWeight": 10}})
    job = _by_kind(docs, "Job")[f"{FULLNAME}-migrations"]
    ann = job["metadata"]["annotations"]
    assert set(ann["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    assert ann["helm.sh/hook-weight"] == "10"
    assert ann["helm.sh/hook-delete-policy"] == "before-hook-creation"
    # The Job's env must exist when the hook runs: it reads hook copies created earlier.
    container = _pod_spec(job)["containers"][0]
    env_names = {
        ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]
    }
    hooks = {
        d["metadata"]["name"]: d
        for d in docs
        if d["kind"] in ("ConfigMap", "Secret") and "helm.sh/hook" in d["metadata"].get("annotations", {})
    }
    assert env_names == set(hooks)
    for doc in hooks.values():
        assert "pre-install" in doc["metadata"]["annotations"]["helm.sh/hook"]
        assert _hook_weight(doc) < _hook_weight(job)
    # Same data as the release's own ConfigMap and Secret.
    assert hooks[f"{FULLNAME}-migrations-config"]["data"] == _by_kind(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    assert hooks[f"{FULLNAME}-migrations-secret"]["data"] == _by_kind(docs, "Secret")[f"{FULLNAME}-secret"]["data"]


@needs_helm
def test_rendered_hpas_and_replicas():
    docs = render()
    hpas = _by_kind(docs, "HorizontalPodAutoscaler")
    for component, lo, hi in (("web", 2, 10), ("worker", 1, 8)):
        hpa = hpas[f"{FULLNAME}-{component}"]
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": f"{FULLNAME}-{component}",
        }
        assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (lo, hi)
        metric = hpa["spec"]["metrics"][0]["resource"]
        assert metric["name"] == "cpu" and metric["target"]["type"] == "Utilization"
        # With an HPA the Deployment leaves replicas to it.
        assert "replicas" not in _by_kind(docs, "Deployment")[f"{FULLNAME}-{component}"]["spec"]

    docs = render({
        "web": {"autoscaling": {"enabled": False}, "replicas": 3},
        "worker": {"autoscaling": {"enabled": False}, "replicas": 4},
    })
    assert _by_kind(docs, "HorizontalPodAutoscaler") == {}
    deployments = _by_kind(docs, "Deployment")
    assert deployments[f"{FULLNAME}-web"]["spec"]["replicas"] == 3
    assert deployments[f"{FULLNAME}-worker"]["spec"]["replicas"] == 4
    assert deployments[f"{FULLNAME}-beat"]["spec"]["replicas"] == 1


@needs_helm
def test_rendered_ingress_hosts_wildcard_console_and_tls():
    docs = render({
        "ingress": {
            "hosts": ["*.gov.example.cn", "www.example-city.gov.cn"],
            "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
            "tls": [{"secretName": "jiyue-tls", "hosts": ["*.gov.example.cn", "console.gov.example.cn"]}],
        }
    })
    ingress = _by_kind(docs, "Ingress")[FULLNAME]
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    hosts = [r["host"] for r in ingress["spec"]["rules"]]
    assert hosts == ["*.gov.example.cn", "www.example-city.gov.cn", "console.gov.example.cn"]
    for rule in ingress["spec"]["rules"]:
        path = rule["http"]["paths"][0]
        assert path["path"] == "/" and path["pathType"] == "Prefix"
        assert path["backend"]["service"] == {"name": f"{FULLNAME}-web", "port": {"number": 80}}
    assert ingress["spec"]["tls"][0]["secretName"] == "jiyue-tls"
    assert ingress["spec"]["tls"][0]["hosts"][0] == "*.gov.example.cn"
    cm = _by_kind(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    assert cm["JIYUE_ALLOWED_HOSTS"] == "console.gov.example.cn,.gov.example.cn,www.example-city.gov.cn"

    # Console host listed explicitly is not duplicated; disabling removes the Ingress.
    docs = render({"ingress": {"hosts": ["console.gov.example.cn"]}})
    rules = _by_kind(docs, "Ingress")[FULLNAME]["spec"]["rules"]
    assert [r["host"] for r in rules] == ["console.gov.example.cn"]
    assert "tls" not in _by_kind(docs, "Ingress")[FULLNAME]["spec"]
    assert _by_kind(render({"ingress": {"enabled": False}}), "Ingress") == {}


@needs_helm
def test_rendered_allowed_hosts_override():
    docs = render({"config": {"allowedHosts": "*"}})
    assert _by_kind(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]["JIYUE_ALLOWED_HOSTS"] == "*"


@needs_helm
def test_existing_secret_is_referenced_and_not_created():
    docs = BACKEND.render({"secrets": {"create": False, "existingSecret": "jiyue-env"}})
    assert _by_kind(docs, "Secret") == {}
    workloads = list(_by_kind(docs, "Deployment").values()) + list(_by_kind(docs, "Job").values())
    for doc in workloads:
        refs = _pod_spec(doc)["containers"][0]["envFrom"]
        assert {"secretRef": {"name": "jiyue-env"}} in refs


@needs_helm
def test_missing_secrets_fail_rendering():
    with pytest.raises(RenderError, match="existingSecret"):
        BACKEND.render({"secrets": {"create": False}})
    with pytest.raises(RenderError, match="databaseUrl"):
        BACKEND.render({})


@needs_helm
def test_checksum_annotation_tracks_configmap():
    files = BACKEND.render_files(_ci_values())
    cm_key = next(k for k in files if k.endswith("templates/configmap.yaml"))
    web = yaml.safe_load(next(v for k, v in files.items() if k.endswith("web-deployment.yaml")))
    checksum = web["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
    if isinstance(BACKEND, _HelmPythonSDK):
        assert checksum == hashlib.sha256(files[cm_key].encode()).hexdigest()

    def checksum_for(overrides):
        d = _by_kind(render(overrides), "Deployment")[f"{FULLNAME}-web"]
        return d["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum_for({"config": {"s3Bucket": "other"}}) != checksum
    assert checksum_for({"web": {"workers": 9}}) == checksum


@needs_helm
def test_rendered_pod_options_pass_through():
    docs = render({
        "image": {"repository": "harbor.local/jiyue", "tag": "1.2.3", "pullPolicy": "Always"},
        "imagePullSecrets": [{"name": "regcred"}],
        "nodeSelector": {"node-role": "apps"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}],
        "affinity": {"podAntiAffinity": {}},
        "podAnnotations": {"example.com/team": "gov"},
        "serviceAccount": {"create": False, "name": "jiyue-sa"},
        "migrations": {"serviceAccountName": "jiyue-migrator"},
        "config": {"extraEnv": {"JIYUE_FEATURE": True}},
    })
    assert _by_kind(docs, "ServiceAccount") == {}
    for doc in list(_by_kind(docs, "Deployment").values()) + list(_by_kind(docs, "Job").values()):
        spec = _pod_spec(doc)
        assert spec["imagePullSecrets"] == [{"name": "regcred"}]
        assert spec["nodeSelector"] == {"node-role": "apps"}
        assert spec["tolerations"][0]["key"] == "dedicated"
        assert spec["affinity"] == {"podAntiAffinity": {}}
        assert spec["containers"][0]["image"] == "harbor.local/jiyue:1.2.3"
        assert spec["containers"][0]["imagePullPolicy"] == "Always"
        assert doc["spec"]["template"]["metadata"]["annotations"]["example.com/team"] == "gov"
        expected_sa = "jiyue-migrator" if doc["kind"] == "Job" else "jiyue-sa"
        assert spec["serviceAccountName"] == expected_sa
    cm = _by_kind(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    assert cm["JIYUE_FEATURE"] == "true"
    assert all(isinstance(v, str) for v in cm.values())
