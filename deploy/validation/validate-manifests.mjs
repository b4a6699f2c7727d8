// Validates every object of a rendered overlay (multi-document YAML on stdin, as printed by
// `kubectl kustomize`) against the schema of its apiVersion and kind: Kubernetes itself, KEDA and
// prometheus-operator. An object of a kind without a schema here is an error, never skipped.
// Prints one JSON line {"objects": n, "kinds": {...}, "errors": [...]}; exits 1 on any error.
import { parseAllDocuments } from "yaml";

const PACKAGES = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelOf(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const path = `${PACKAGES[group] ?? "kubernetes-models"}/${apiVersion}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return undefined;
  }
}

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

const kinds = {};
const errors = [];
let objects = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    errors.push(`YAML: ${document.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  objects++;
  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name}`;
  kinds[`${apiVersion} ${kind}`] = (kinds[`${apiVersion} ${kind}`] ?? 0) + 1;
  const Model = apiVersion && kind ? await modelOf(apiVersion, kind) : undefined;
  if (!Model) {
    errors.push(`${name}: no schema for apiVersion ${apiVersion}, kind ${kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
  }
}

console.log(JSON.stringify({ objects, kinds, errors }));
process.exit(errors.length === 0 && objects > 0 ? 0 : 1);
