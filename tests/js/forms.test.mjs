// Golden cases of forms/cases run by the browser validator: the same expectations the Python
// validator meets (tests/unit/test_forms_golden.py), so a device and the server agree on every record.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  canonicalJson, compute, definitionHash, entities, evaluateCondition, fieldStates, upcast, validate,
} from "../../pwa/static/js/forms/index.js";

const FORMS = fileURLToPath(new URL("../../forms/", import.meta.url));
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const list = (dir) => readdirSync(dir).sort();

const definitions = {};
for (const formId of list(join(FORMS, "definitions"))) {
  for (const file of list(join(FORMS, "definitions", formId))) {
    definitions[`${formId}/${file.replace(/\.json$/, "")}`] = readJson(join(FORMS, "definitions", formId, file));
  }
}

const cases = [];
for (const formId of list(join(FORMS, "cases"))) {
  for (const version of list(join(FORMS, "cases", formId))) {
    for (const file of list(join(FORMS, "cases", formId, version))) {
      cases.push({ key: `${formId}/${version}`, file, ...readJson(join(FORMS, "cases", formId, version, file)) });
    }
  }
}

const pairs = (errors) => [...new Set(errors.map((e) => `${e.field}:${e.code}`))].sort();

describe("golden cases, JS validator", () => {
  for (const c of cases) {
    test(`${c.key} ${c.file}: ${c.name}`, () => {
      const definition = definitions[c.key];
      const errors = validate(definition, c.entity, c.data, c.mode, c.context ?? null, c.parent ?? null);
      assert.deepEqual(pairs(errors), pairs(c.expect.errors));
      assert.equal(errors.length === 0, c.expect.valid);
      for (const error of errors) {
        assert.ok(error.message_zh && error.message_en, `message missing for ${error.field}:${error.code}`);
      }
      if (c.expect.computed) {
        const values = compute(definition, c.entity, c.data, c.parent ?? null);
        const tolerance = c.expect.tolerance ?? 1e-9;
        for (const [name, want] of Object.entries(c.expect.computed)) {
          if (want === null) assert.equal(values[name], null, name);
          else assert.ok(Math.abs(values[name] - want) <= tolerance, `${name}: ${values[name]} ≠ ${want}`);
        }
      }
    });
  }
});

test("every definition hashes to its line in forms/hashes.json", async () => {
  const locked = readJson(join(FORMS, "hashes.json"));
  for (const [key, definition] of Object.entries(definitions)) {
    const [formId, version] = key.split("/");
    assert.equal(await definitionHash(definition), locked[formId][version], key);
  }
});

test("canonical JSON sorts keys and writes CJK as UTF-8, like Python's json.dumps", () => {
  assert.equal(canonicalJson({ b: [1, 0.5, "气温"], a: { z: null, y: true } }),
    '{"a":{"y":true,"z":null},"b":[1,0.5,"气温"]}');
});

test("a multi-select is 'in' a list when it shares a value with it", () => {
  const expr = { field: "ppe", op: "in", value: ["earplugs", "earmuffs"] };
  assert.equal(evaluateCondition(expr, { ppe: ["gloves", "earmuffs"] }), true);
  assert.equal(evaluateCondition(expr, { ppe: ["gloves"] }), false);
  assert.equal(evaluateCondition(expr, {}), false);
});

test("$parent fields are read from the parent record", () => {
  const expr = { field: "deadline", op: "gte", ref: "$parent.inspection_date" };
  assert.equal(evaluateCondition(expr, { deadline: "2025-05-01" }, { inspection_date: "2025-04-08" }), true);
  assert.equal(evaluateCondition(expr, { deadline: "2025-05-01" }, null), false);
});

test("a blank sample hides its post while a field sample requires it", () => {
  const definition = definitions["sampling_record/1"];
  assert.deepEqual(fieldStates(definition, "sample", { sample_type: "blank" }).post, { visible: false, required: false });
  assert.deepEqual(fieldStates(definition, "sample", { sample_type: "field" }).post, { visible: true, required: true });
});

test("a version 1 sample and noise measurement read through version 2", () => {
  const versions = { 1: definitions["sampling_record/1"], 2: definitions["sampling_record/2"] };
  assert.deepEqual(upcast(versions, "sample", { pump_id: "PUMP-07", flow_before_l_min: 0.2 }, 1, 2),
    { sampler_id: "PUMP-07", flow_before_l_min: 0.2 });
  assert.deepEqual(upcast(versions, "noise_measurement", { laeq_1_db: 88.2 }, 1, 2),
    { laeq_1_db: 88.2, measurement_mode: "sound_level_meter" });
});

test("entities list the root first with each child's parent", () => {
  assert.deepEqual(entities(definitions["workplace_survey/1"]), [
    { entity: "workplace_survey", parent: null },
    { entity: "survey_workshop", parent: "workplace_survey" },
    { entity: "survey_post", parent: "survey_workshop" },
  ]);
});
