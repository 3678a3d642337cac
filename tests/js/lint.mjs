// Lint BPMN files with bpmnlint's `bpmnlint:recommended` rules and print one JSON document:
//
//   {"bpmnlint": "11.15.0", "files": [{"path": "...", "reports": [
//       {"rule": "label-required", "id": "Task_1", "message": "...", "category": "error"}]}]}
//
// A parse error is one report with rule "parse-error"; each bpmn-moddle import warning (an
// unresolved reference, an unknown element) is a report with rule "import-warning". Both are
// category "error", as the bpmnlint command line counts them. Rules report "error" or "warn"
// (and "rule-error" if a rule itself throws). Usage: node tests/js/lint.mjs FILE.bpmn...
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

import { BpmnModdle } from "bpmn-moddle";

const require = createRequire(import.meta.url);
const { Linter } = require("bpmnlint");
const NodeResolver = require("bpmnlint/lib/resolver/node-resolver");

// One linter per file, as the bpmnlint command line does: a rule keeps state between the files one
// linter checks (no-duplicate-sequence-flows then reports flows of the previous file). Rules and
// configs resolve from this folder's node_modules, whatever the working directory.
function newLinter() {
  return new Linter({
    config: { extends: "bpmnlint:recommended" },
    resolver: new NodeResolver({ require }),
  });
}

async function lintFile(path) {
  const xml = await readFile(path, "utf-8");
  let parsed;
  try {
    parsed = await new BpmnModdle().fromXML(xml);
  } catch (error) {
    return [{ rule: "parse-error", id: null, message: error.message, category: "error" }];
  }
  const reports = (parsed.warnings || []).map((warning) => ({
    rule: "import-warning",
    id: (warning.element && warning.element.id) || null,
    message: warning.message.split("\n")[0],
    category: "error",
  }));
  const results = await newLinter().lint(parsed.rootElement);
  for (const [rule, found] of Object.entries(results)) {
    for (const report of found) {
      reports.push({
        rule,
        id: report.id ?? null,
        message: report.message,
        category: report.category,
      });
    }
  }
  return reports;
}

const files = [];
for (const path of process.argv.slice(2)) {
  files.push({ path, reports: await lintFile(path) });
}
const { version } = require("bpmnlint/package.json");
process.stdout.write(JSON.stringify({ bpmnlint: version, files }, null, 1) + "\n");
