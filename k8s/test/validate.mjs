// Validates every manifest in k8s/ against the Kubernetes and KEDA JSON schemas (kubernetes-models) and checks the
// invariants the pipeline relies on, then the image builds (images.mjs). Prints one line per check and ends with
// "k8s: N passed, M failed"; exit 1 on any failure. Run: npm ci --prefix k8s/test && node k8s/test/validate.mjs
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { checkImages } from "./images.mjs";

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
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
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

// Every KEDA RabbitMQ trigger reads the management API (protocol http: ready + unacknowledged messages; AMQP counts
// only ready ones, missing the 32 each worker holds prefetched), with the host from its TriggerAuthentication, which
// must not be the services' AMQP URI.
const amqpKeys = new Set(deployments.flatMap((d) => d.value.spec.template.spec.containers)
  .flatMap((c) => c.env ?? []).filter((e) => e.name === "BusOptions__RabbitMqUri")
  .map((e) => e.valueFrom?.secretKeyRef?.key).filter(Boolean));
for (const s of docs.filter((d) => d.value.kind === "ScaledObject")) {
  for (const t of s.value.spec.triggers.filter((t) => t.type === "rabbitmq")) {
    const name = `${label(s)} trigger on ${t.metadata?.queueName}`;
    check(`${name} counts ready + unacked messages (protocol: http)`, t.metadata?.protocol === "http", `protocol: ${t.metadata?.protocol ?? "(auto)"}`);
    const auth = docs.find((d) => d.value.kind === "TriggerAuthentication" && d.value.metadata.name === t.authenticationRef?.name);
    const host = auth?.value.spec.secretTargetRef?.find((r) => r.parameter === "host");
    check(`${name} takes the management API host from its TriggerAuthentication`, !!host && !t.metadata?.host && !amqpKeys.has(host.key),
      host ? `key ${host.key} is the services' AMQP URI` : "no host parameter in the TriggerAuthentication");
  }
}

// Workers find their models: Models__Directory on the models volume, mounted there, a device, a GPU for cuda.
const modelClaims = new Set(docs.filter((d) => d.value.kind === "PersistentVolumeClaim").map((d) => d.value.metadata.name));
const setting = (container, key) => {
  const env = (container.env ?? []).find((e) => e.name === key);
  if (env) return env.value;
  for (const ref of (container.envFrom ?? []).map((f) => f.configMapRef?.name)) {
    const value = docs.find((d) => d.value.kind === "ConfigMap" && d.value.metadata.name === ref)?.value.data?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
};
for (const w of workers) {
  const pod = w.value.spec.template.spec;
  for (const c of pod.containers) {
    const cname = `${label(w)} container ${c.name}`;
    const folder = setting(c, "Models__Directory");
    check(`${cname} sets Models__Directory (env or ConfigMap) to an absolute path`, typeof folder === "string" && folder.startsWith("/"), `${folder}`);
    const mount = (c.volumeMounts ?? []).find((m) => folder === m.mountPath || folder?.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
    const claim = pod.volumes?.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName;
    check(`${cname} mounts the models volume at Models__Directory`, modelClaims.has(claim),
      mount ? `${mount.mountPath} is volume ${mount.name}, not a claim declared in k8s/` : `no volume mounted at ${folder}`);
    const device = setting(c, "Models__Device");
    check(`${cname} sets Models__Device (cpu, cuda, cuda:N)`, /^(cpu|cuda(:\d+)?)$/.test(device ?? ""), `${device}`);
    if (device?.startsWith("cuda"))
      check(`${cname} on ${device} has an nvidia.com/gpu limit`, Number(c.resources?.limits?.["nvidia.com/gpu"] ?? 0) >= 1);
    check(`${cname} has a readiness probe on /health/ready`, c.readinessProbe?.httpGet?.path === "/health/ready");
  }
}

// Quorum queues on, with a delivery limit above the poison check, and enough broker nodes to keep a majority.
const config = Object.assign({}, ...docs.filter((d) => d.value.kind === "ConfigMap").map((d) => d.value.data ?? {}));
check("quorum queues are on (BusOptions__QuorumQueues: true)", config.BusOptions__QuorumQueues === "true", `${config.BusOptions__QuorumQueues}`);
const deliveryLimit = Number(config.BusOptions__DeliveryLimit);
const poisonRuns = Number(config.BusOptions__PoisonRuns ?? 3);
check("BusOptions__DeliveryLimit is set above BusOptions__PoisonRuns", Number.isInteger(deliveryLimit) && deliveryLimit > poisonRuns,
  `${config.BusOptions__DeliveryLimit} vs ${poisonRuns}`);
for (const r of docs.filter((d) => d.value.kind === "RabbitmqCluster")) {
  check(`${label(r)} has at least 3 nodes for the quorum queues`, (r.value.spec.replicas ?? 1) >= 3, `${r.value.spec.replicas}`);
  check(`${label(r)} enables the management plugin the scalers read`, r.value.spec.rabbitmq?.additionalPlugins?.includes("rabbitmq_management"));
}

// A PodDisruptionBudget for every worker and for the coordinator that still lets a node drain.
const budgets = docs.filter((d) => d.value.kind === "PodDisruptionBudget");
const coordinatorDeployment = deployments.find((d) => d.value.metadata.labels?.["app.kubernetes.io/component"] === "coordinator");
for (const d of [...workers, coordinatorDeployment].filter(Boolean)) {
  const podLabels = d.value.spec.template.metadata?.labels ?? {};
  const budget = budgets.find((b) => Object.entries(b.value.spec.selector?.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v));
  check(`${label(d)} has a PodDisruptionBudget`, !!budget);
  if (!budget) continue;
  const replicas = d.value.spec.replicas ?? 1;
  const { minAvailable, maxUnavailable } = budget.value.spec;
  const drains = maxUnavailable !== undefined ? Number(maxUnavailable) >= 1 : Number(minAvailable) < replicas;
  check(`${label(d)} PodDisruptionBudget lets a node drain`, drains, `minAvailable ${minAvailable}, maxUnavailable ${maxUnavailable}, replicas ${replicas}`);
  if (d === coordinatorDeployment)
    check("coordinator PodDisruptionBudget keeps a replica up", Number(minAvailable) >= 1 && Number(minAvailable) < replicas,
      `minAvailable ${minAvailable} of ${replicas}`);
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

checkImages(join(root, ".."), check);

console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
