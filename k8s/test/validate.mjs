// Validates every manifest in k8s/ against the Kubernetes and KEDA JSON schemas (kubernetes-models) and checks the
// invariants the pipeline relies on. Prints one line per check and ends with "k8s: N passed, M failed"; exit 1 on any
// failure. Run: npm ci --prefix k8s/test && node k8s/test/validate.mjs
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let passed = 0;
let failed = 0;
const check = (name, ok, detail = "") => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
};

// Kinds served by the two model packages; operator resources (CloudNativePG, RabbitMQ) get structural checks below.
const models = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/PersistentVolumeClaim": "kubernetes-models/v1/PersistentVolumeClaim",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "keda.sh/v1alpha1/ScaledObject": "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "keda.sh/v1alpha1/TriggerAuthentication": "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication",
};
const operatorKinds = {
  "postgresql.cnpg.io/v1/Cluster": ["spec.instances", "spec.storage.size", "spec.bootstrap.initdb.database"],
  "rabbitmq.com/v1beta1/RabbitmqCluster": ["spec.replicas", "spec.image"],
};

const docs = [];
for (const file of readdirSync(root).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(root, file), "utf8"))) {
    if (doc.errors.length) { check(`${file} parses`, false, doc.errors[0].message); continue; }
    const value = doc.toJS();
    if (value) docs.push({ file, value, key: `${value.apiVersion}/${value.kind}` });
  }
}
check("manifests found", docs.length > 0, "no YAML document in k8s/");

const get = (object, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), object);
const label = (d) => `${d.file} ${d.value.kind}/${d.value.metadata?.name}`;

for (const d of docs) {
  if (models[d.key]) {
    const module = await import(models[d.key]);
    const Model = module[d.value.kind];
    try {
      new Model(d.value).validate();
      check(`${label(d)} matches the ${d.key} schema`, true);
    } catch (e) {
      check(`${label(d)} matches the ${d.key} schema`, false, e.message);
    }
  } else if (operatorKinds[d.key]) {
    const missing = operatorKinds[d.key].filter((p) => get(d.value, p) === undefined);
    check(`${label(d)} has the operator's required fields`, missing.length === 0, `missing ${missing.join(", ")}`);
  } else {
    check(`${label(d)} is a known kind`, false, `${d.key} is neither a Kubernetes/KEDA model nor a declared operator kind`);
  }
  check(`${label(d)} is namespaced in pipeline`, d.value.kind === "Namespace" || d.value.metadata?.namespace === "pipeline");
}

// Secrets are referenced, never written here.
const secrets = docs.filter((d) => d.value.kind === "Secret" && (d.value.data || d.value.stringData));
check("no Secret with literal data", secrets.length === 0, secrets.map(label).join(", "));
const secretLooking = /connectionstring|rabbitmquri|apikey|password|accountkey/i;
const literalSecret = /(password|pwd|accountkey)\s*=\s*[^$;\s]|:\/\/[^:\/@\s]+:[^@$\s]+@/i;

const deployments = docs.filter((d) => d.value.kind === "Deployment");
const pinned = /^[^:@\s]+(:(?!latest$)[\w.-]+)?(@sha256:[a-f0-9]{64})?$/;
for (const d of deployments) {
  const pod = d.value.spec.template.spec;
  const name = label(d);
  const selector = d.value.spec.selector.matchLabels ?? {};
  const podLabels = d.value.spec.template.metadata?.labels ?? {};
  check(`${name} selector matches its pod labels`, Object.entries(selector).every(([k, v]) => podLabels[k] === v));
  check(`${name} pod runs as non-root`, pod.securityContext?.runAsNonRoot === true && (pod.securityContext?.runAsUser ?? 0) > 0);
  for (const c of pod.containers) {
    const cname = `${name} container ${c.name}`;
    check(`${cname} image is pinned (explicit tag, not latest)`, pinned.test(c.image) && /[:@]/.test(c.image.split("/").pop()), c.image);
    check(`${cname} has requests and limits`, !!c.resources?.requests && !!c.resources?.limits);
    check(`${cname} has liveness and readiness probes`, c.livenessProbe?.httpGet?.path === "/health/live" && c.readinessProbe?.httpGet?.path === "/health/ready");
    check(`${cname} cannot escalate privileges`, c.securityContext?.allowPrivilegeEscalation === false && c.securityContext?.capabilities?.drop?.includes("ALL"));
    for (const e of c.env ?? []) {
      if (!secretLooking.test(e.name)) continue;
      check(`${cname} env ${e.name} comes from a Secret`, !!e.valueFrom?.secretKeyRef && !literalSecret.test(e.value ?? ""));
    }
    for (const ref of (c.envFrom ?? []).map((f) => f.configMapRef?.name).filter(Boolean)) {
      check(`${cname} ConfigMap ${ref} exists`, docs.some((o) => o.value.kind === "ConfigMap" && o.value.metadata.name === ref));
    }
  }
}

// Workers: a GPU each, and a KEDA ScaledObject on their own queue.
const workers = deployments.filter((d) => d.value.metadata.labels?.["app.kubernetes.io/component"] === "worker");
check("three stage workers", workers.length === 3, `${workers.length}`);
for (const w of workers) {
  const name = label(w);
  const gpu = w.value.spec.template.spec.containers.map((c) => Number(c.resources?.limits?.["nvidia.com/gpu"] ?? 0)).reduce((a, b) => a + b, 0);
  check(`${name} requests an nvidia.com/gpu`, gpu >= 1);
  check(`${name} waits for the batch in hand on shutdown`, (w.value.spec.template.spec.terminationGracePeriodSeconds ?? 30) >= 120);
  const queue = w.value.metadata.labels["pipeline/queue"];
  const scaler = docs.find((d) => d.value.kind === "ScaledObject" && d.value.spec.scaleTargetRef.name === w.value.metadata.name);
  check(`${name} is scaled by a ScaledObject`, !!scaler);
  const trigger = scaler?.value.spec.triggers.find((t) => t.type === "rabbitmq");
  check(`${name} scales on the depth of queue ${queue}`, trigger?.metadata?.queueName === queue && trigger?.metadata?.mode === "QueueLength");
  const auth = trigger?.authenticationRef?.name;
  const authDoc = docs.find((d) => d.value.kind === "TriggerAuthentication" && d.value.metadata.name === auth);
  check(`${name} scaler authenticates through a Secret`, !!authDoc?.value.spec.secretTargetRef?.length && !trigger?.metadata?.host);
}

// The coordinator is reachable: a Service selects its pods.
const coordinator = deployments.find((d) => d.value.metadata.name === "coordinator");
const service = docs.find((d) => d.value.kind === "Service" && d.value.metadata.name === "coordinator");
check("coordinator Deployment and Service exist", !!coordinator && !!service);
if (coordinator && service) {
  const podLabels = coordinator.value.spec.template.metadata.labels;
  check("coordinator Service selects the coordinator pods", Object.entries(service.value.spec.selector).every(([k, v]) => podLabels[k] === v));
}
check("PostgreSQL and RabbitMQ are provided", docs.some((d) => d.value.kind === "Cluster") && docs.some((d) => d.value.kind === "RabbitmqCluster"));

console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
