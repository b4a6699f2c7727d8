// Writes deploy/kustomize/base/prometheus-rule.yaml from ops/prometheus/recording-rules.yml and
// ops/prometheus/alerts.yml (Prometheus rule files), so that the cluster gets exactly the rules
// that are tested with promtool. Run it after changing either file:
//   npm --prefix deploy/validation ci && node deploy/validation/prometheus-rule.mjs
// With --check it only compares and exits 1 when the committed file is stale.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sources = ["ops/prometheus/recording-rules.yml", "ops/prometheus/alerts.yml"];
const target = join(root, "deploy/kustomize/base/prometheus-rule.yaml");

const groups = [];
for (const source of sources.filter((s) => existsSync(join(root, s)))) {
  const file = parse(readFileSync(join(root, source), "utf8"));
  for (const group of file?.groups ?? []) {
    if (!group.name || !Array.isArray(group.rules)) {
      throw new Error(`${source}: every group needs a name and rules`);
    }
    groups.push(group);
  }
}
if (groups.length === 0) {
  throw new Error(`no rule groups in ${sources.join(" or ")}`);
}

const rule = {
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "editflow" },
  spec: { groups },
};
const text =
  `# Generated from ${sources.join(" and ")} by deploy/validation/prometheus-rule.mjs:\n` +
  "# do not edit; change those files and run it again.\n" +
  stringify(rule, { lineWidth: 0 });

if (process.argv.includes("--check")) {
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current !== text) {
    console.error(`${relative(root, target)} is stale: run node deploy/validation/prometheus-rule.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${relative(root, target)} (${groups.length} groups)`);
}
