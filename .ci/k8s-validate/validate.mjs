// Validates rendered kustomize output offline (.ci/check-k8s): every object against its Kubernetes (or Prometheus
// Operator) model, then the rules this project holds its manifests to. Prints every problem and exits 1 on any.
//   node validate.mjs <repo root> <rendered overlay .yaml>...
// kubernetes-models checks types, required fields and formats; it does not reject unknown fields.
// Each PrometheusRule's groups are also written next to the rendered file (<overlay>.rules.yaml) for promtool.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

const [root, ...renderedFiles] = process.argv.slice(2);
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

/** The model class of an object, from kubernetes-models or @kubernetes-models/prometheus-operator. */
async function modelOf(apiVersion, kind) {
  const pkg = apiVersion.startsWith("monitoring.coreos.com/") ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  try {
    return (await import(`${pkg}/${apiVersion}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

async function validateModel(where, object) {
  const Model = await modelOf(object.apiVersion, object.kind);
  if (!Model) {
    problem(where, `no model for ${object.apiVersion} ${object.kind}: cannot be validated`);
    return;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problem(where, e.message);
  }
}

// --- Project rules (README "Deploy on Kubernetes") ------------------------------------------------------------
const SECRET_NAME = /PASSWORD|SECRET|_KEY$|TOKEN|PII_KEY|WEBHOOK_URL/;

function checkDeployment(where, d) {
  const pod = d.spec.template.spec;
  if (pod.securityContext?.runAsNonRoot !== true) problem(where, "pod securityContext.runAsNonRoot must be true");
  for (const c of pod.containers) {
    const at = `${where} container ${c.name}`;
    if (c.securityContext?.readOnlyRootFilesystem !== true) problem(at, "readOnlyRootFilesystem must be true");
    if (c.securityContext?.allowPrivilegeEscalation !== false) problem(at, "allowPrivilegeEscalation must be false");
    if (!c.volumeMounts?.some((m) => m.mountPath === "/tmp")) problem(at, "needs a writable /tmp (emptyDir)");
    if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) problem(at, "memory request and limit required");
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const port = c[probe]?.httpGet?.port;
      if (port !== "management" && port !== 9000) problem(at, `${probe} must be an HTTP probe on the management port`);
    }
    for (const e of c.env ?? []) {
      if (SECRET_NAME.test(e.name) && e.value !== undefined) problem(at, `${e.name} holds a literal value; use a secretKeyRef`);
    }
  }
  if (d.spec.replicas !== undefined) problem(where, "spec.replicas set: the HorizontalPodAutoscaler owns the replica count");
  // Sum of the shutdown phases in application.properties "Graceful shutdown": delay 5 s, HTTP 20 s, Camel 45 s.
  if (!(pod.terminationGracePeriodSeconds > 70)) problem(where, "terminationGracePeriodSeconds must exceed 70 s");
}

function checkRoutesConfigMap(where, cm) {
  const want = readdirSync(join(root, "routes")).filter((f) => f.endsWith(".camel.yaml"));
  const missing = want.filter((f) => !(f in (cm.data ?? {})));
  if (missing.length) problem(where, `route files not in the ConfigMap (add them to k8s/base/kustomization.yaml): ${missing.join(", ")}`);
}

// Metric names the hub serves: Micrometer names in the Java sources (q2c.a.b -> q2c_a_b[_total|_seconds]; a timer
// also serves q2c_a_b_seconds_count, _sum, _max and _bucket).
function servedMetrics() {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".java")) {
        for (const m of readFileSync(path, "utf8").matchAll(/"(q2c(?:\.[a-z0-9]+)+)"/g)) {
          const base = m[1].replaceAll(".", "_");
          for (const suffix of ["", "_total", "_seconds", "_seconds_count", "_seconds_sum", "_seconds_max",
            "_seconds_bucket"]) names.add(base + suffix);
        }
      }
    }
  };
  walk(join(root, "src/main/java"));
  return names;
}
const served = servedMetrics();

function checkMetricNames(where, expr, toBeProvided = new Set()) {
  for (const [name] of expr.matchAll(/\bq2c_[a-z0-9_]+/g)) {
    if (!served.has(name) && !toBeProvided.has(name)) {
      problem(where, `metric ${name} is not served by the hub (no Micrometer meter in src/main/java); mark the rule to_be_provided or fix the name`);
    }
  }
}

function checkPrometheusRule(where, rule) {
  for (const group of rule.spec.groups) {
    for (const r of group.rules) {
      const pending = new Set((r.annotations?.to_be_provided ?? "").split(/[ ,]+/).filter(Boolean));
      checkMetricNames(`${where} ${r.alert ?? r.record}`, String(r.expr), pending);
    }
  }
}

function checkDashboard(where, cm) {
  for (const [file, text] of Object.entries(cm.data ?? {})) {
    let dashboard;
    try {
      dashboard = JSON.parse(text);
    } catch (e) {
      problem(`${where} ${file}`, `not JSON: ${e.message}`);
      continue;
    }
    const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
    if (!panels.some((p) => p.targets?.length)) problem(`${where} ${file}`, "no panel queries anything");
    for (const p of panels) for (const t of p.targets ?? []) checkMetricNames(`${where} ${file} panel "${p.title}"`, t.expr ?? "");
  }
}

// --- Main -------------------------------------------------------------------------------------------------------
for (const file of renderedFiles) {
  const overlay = basename(file, ".yaml");
  const counts = {};
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      problem(overlay, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const where = `${overlay} ${object.kind}/${object.metadata?.name}`;
    counts[object.kind] = (counts[object.kind] ?? 0) + 1;
    await validateModel(where, object);
    if (object.kind === "Secret") problem(where, "a Secret in the manifests: reference Secrets, never ship them");
    if (object.kind === "Deployment") checkDeployment(where, object);
    if (object.kind === "PrometheusRule") {
      checkPrometheusRule(where, object);
      writeFileSync(file.replace(/\.yaml$/, ".rules.yaml"), stringify({ groups: object.spec.groups }));
    }
    if (object.kind === "ConfigMap" && object.metadata.name.startsWith("q2c-hub-routes")) checkRoutesConfigMap(where, object);
    if (object.kind === "ConfigMap" && object.metadata.labels?.grafana_dashboard) checkDashboard(where, object);
    if (object.kind === "ConfigMap" && object.metadata.name.startsWith("q2c-hub-env")) {
      for (const key of Object.keys(object.data ?? {})) {
        if (SECRET_NAME.test(key)) problem(where, `${key} looks like a secret; reference it from a Secret instead`);
      }
    }
  }
  for (const kind of ["Deployment", "Service", "ServiceMonitor", "PrometheusRule", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy"]) {
    if (!counts[kind]) problem(overlay, `renders no ${kind}`);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`${overlay}: ${total} objects (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")})`);
}

if (problems.length) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("all objects valid");
