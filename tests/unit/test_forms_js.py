"""The PWA's validator (pwa/static/js/forms) agrees with the server's, byte for byte.

Runs tests/js/forms.test.mjs under node, then has node validate every golden case and compares the
full error items (messages included), computed values and definition hashes with Python's.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from server.form_registry import compute, load_registry, validate
from server.form_registry.messages import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"

DUMP_SCRIPT = """
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compute, definitionHash, TEMPLATES, validate } from "./pwa/static/js/forms/index.js";
const read = (p) => JSON.parse(readFileSync(p, "utf8"));
const ls = (d) => readdirSync(d).sort();
const out = { cases: {}, hashes: {}, templates: TEMPLATES };
for (const form of ls("forms/definitions")) for (const file of ls(join("forms/definitions", form))) {
  const version = file.replace(/\\.json$/, "");
  const definition = read(join("forms/definitions", form, file));
  out.hashes[`${form}/${version}`] = await definitionHash(definition);
  const dir = join("forms/cases", form, version);
  for (const name of ls(dir)) {
    const c = read(join(dir, name));
    out.cases[`${form}/${version}/${name}`] = {
      errors: validate(definition, c.entity, c.data, c.mode, c.context ?? null, c.parent ?? null),
      computed: compute(definition, c.entity, c.data, c.parent ?? null),
    };
  }
}
process.stdout.write(JSON.stringify(out));
"""


def _node():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (≥ 20) is needed to check the PWA's form validator")
    return node


def test_node_runs_the_golden_cases_without_failure():
    result = subprocess.run([_node(), "--test", "tests/js/forms.test.mjs"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


@pytest.fixture(scope="module")
def js_results():
    result = subprocess.run([_node(), "--input-type=module", "-e", DUMP_SCRIPT], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_both_validators_give_the_same_errors_and_messages_for_every_case(js_results):
    registry = load_registry(FORMS)
    python = {}
    for path in sorted((FORMS / "cases").glob("*/*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        definition = registry.get(path.parts[-3], int(path.parts[-2]))
        python["/".join(path.parts[-3:])] = {
            "errors": validate(definition, case["entity"], case["data"], case["mode"],
                               case.get("context"), case.get("parent")),
            "computed": compute(definition, case["entity"], case["data"], case.get("parent")),
        }
    assert set(js_results["cases"]) == set(python)
    for key, expected in python.items():
        assert js_results["cases"][key] == expected, key


def test_both_compute_the_same_definition_hashes(js_results):
    registry = load_registry(FORMS)
    python = {f"{item['form_id']}/{item['version']}": item["hash"] for item in registry.all_versions()}
    assert js_results["hashes"] == python


def test_both_word_errors_the_same_in_chinese_and_english(js_results):
    assert js_results["templates"] == {key: list(value) for key, value in TEMPLATES.items()}
