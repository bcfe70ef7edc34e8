// The outbox's rules (pwa/static/js/outbox.js) as a field worker meets them: typing into a form queues one
// change, not one per keystroke; a change once sent is never rewritten; every change has the next number of
// the device, so the server can tell a replay from a gap; each edit says which version of a field it changed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as outbox from "../../pwa/static/js/outbox.js";

const RECORD = "0b6a3c1e-5f4d-4b8e-9d1a-2c3e4f5a6b7c";
const OTHER = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";

/** The outbox after a series of local changes, as stores/outbox.js keeps it: rows by client_seq, the next number. */
function queue(specs, { rows = new Map(), next = 1 } = {}) {
  for (const spec of specs) {
    const last = rows.size ? rows.get(Math.max(...rows.keys())) : undefined;
    const queued = outbox.enqueue(last, spec, next);
    rows.set(queued.row.client_seq, queued.row);
    next = queued.next;
  }
  return { rows, next };
}

const create = (fields, record = RECORD) => outbox.mutation({ entity: "sample", record_id: record, op: "create", fields,
  parent: null, form_version: 2 });
const edit = (fields, base = {}, record = RECORD, formVersion = 2) => outbox.mutation({ entity: "sample", record_id: record,
  op: "update", fields, base, form_version: formVersion });

describe("client_seq: one number per change, rising by exactly one", () => {
  test("typing into a new record's form folds into its create: one change with every field, one number", () => {
    const { rows, next } = queue([create({ sample_code: "LH-01" }), edit({ post: "喷" }), edit({ post: "喷漆工" }),
      edit({ flow_l_min: 0.2 })]);
    assert.deepEqual([...rows.keys()], [1]);
    const row = rows.get(1);
    assert.equal(row.op, "create");
    assert.deepEqual(row.fields, { sample_code: "LH-01", post: "喷漆工", flow_l_min: 0.2 });
    assert.equal(row.base, null, "a create has no base");
    assert.equal(next, 2);
  });

  test("changes to different records each take the next number", () => {
    const { rows, next } = queue([create({ sample_code: "LH-01" }), create({ sample_code: "LH-02" }, OTHER),
      edit({ post: "调漆工" })]);
    assert.deepEqual([...rows.keys()], [1, 2, 3]);
    assert.deepEqual([...rows.values()].map((r) => r.record_id), [RECORD, OTHER, RECORD]);
    assert.equal(next, 4);
  });

  test("a change already sent is never rewritten: the next edit is a change of its own", () => {
    const first = queue([create({ sample_code: "LH-01" })]);
    first.rows.set(1, outbox.attempted(first.rows.get(1)));
    const { rows } = queue([edit({ post: "喷漆工" })], first);
    assert.deepEqual(rows.get(1).fields, { sample_code: "LH-01" });
    assert.equal(rows.get(1).attempts, 1);
    assert.equal(rows.get(2).op, "update");
    assert.deepEqual(rows.get(2).fields, { post: "喷漆工" });
  });

  test("an acknowledged change is not reopened either", () => {
    const first = queue([edit({ post: "喷漆工" }, { post: 4 })], { next: 41 });
    first.rows.set(41, { ...first.rows.get(41), state: "done" });
    const { rows, next } = queue([edit({ post: "调漆工" }, { post: 4 })], first);
    assert.deepEqual([...rows.keys()], [41, 42]);
    assert.equal(next, 43);
  });

  test("a delete, a submit or an edit under another form version is never folded into an edit", () => {
    const { rows } = queue([edit({ post: "喷漆工" }), edit({ post: "调漆工" }, {}, RECORD, 3),
      outbox.mutation({ entity: "sample", record_id: RECORD, op: "submit" }),
      outbox.mutation({ entity: "sample", record_id: RECORD, op: "delete" })]);
    assert.deepEqual([...rows.values()].map((r) => [r.client_seq, r.op, r.form_version]),
      [[1, "update", 2], [2, "update", 3], [3, "submit", null], [4, "delete", null]]);
  });

  test("every change has its own mutation id, kept when later edits fold into it", () => {
    const one = queue([create({ sample_code: "LH-01" })]);
    const id = one.rows.get(1).mutation_id;
    queue([edit({ post: "喷漆工" })], one);
    assert.equal(one.rows.get(1).mutation_id, id);
    const two = queue([create({ sample_code: "LH-02" }, OTHER)], one);
    assert.notEqual(two.rows.get(2).mutation_id, id);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("a tablet whose storage was restored from an old copy continues after the server's last number", () => {
    assert.equal(outbox.seqAfterServer(5, 12, 0), 13);
    assert.equal(outbox.seqAfterServer(13, 12, 0), 13, "a counter ahead of the server stays");
    assert.equal(outbox.seqAfterServer(5, 12, 3), 5, "changes still waiting keep their numbers");
  });
});

describe("base: which version of each field an edit changed", () => {
  test("an edit carries, per field, the change number this tablet last saw (0 for a field never seen)", () => {
    const record = { versions: { post: 17, flow_l_min: 9 } };
    assert.deepEqual(outbox.baseFor(record, ["post", "lab_concentration_mg_m3"]), { post: 17, lab_concentration_mg_m3: 0 });
    assert.deepEqual(outbox.baseFor({}, ["post"]), { post: 0 });
  });

  test("folded edits keep the base the user first saw for each field, and add the bases of new fields", () => {
    const { rows } = queue([edit({ post: "喷" }, { post: 17 }),
      edit({ post: "喷漆工", flow_l_min: 0.2 }, { post: 19, flow_l_min: 9 })]);
    assert.deepEqual(rows.get(1).fields, { post: "喷漆工", flow_l_min: 0.2 });
    assert.deepEqual(rows.get(1).base, { post: 17, flow_l_min: 9 });
  });
});

describe("what a push sends", () => {
  test("a change goes out with the record's id, its number and only the parts it has", () => {
    const row = outbox.row(outbox.mutation({ entity: "finding", record_id: RECORD, op: "create", fields: { fact: "未设置警示标识" },
      parent: OTHER, form_version: 1 }), 8);
    const body = outbox.pushBody("device-1", [row, outbox.row(outbox.mutation({ entity: "finding", record_id: RECORD,
      op: "delete" }), 9)]);
    assert.equal(body.protocol, 1);
    assert.equal(body.device_id, "device-1");
    const [made, deleted] = body.mutations;
    assert.deepEqual({ ...made, device_time: null }, { client_seq: 8, mutation_id: row.mutation_id, entity: "finding",
      id: RECORD, op: "create", device_time: null, form_version: 1, fields: { fact: "未设置警示标识" }, parent: OTHER });
    assert.deepEqual(Object.keys(deleted).sort(), ["client_seq", "device_time", "entity", "id", "mutation_id", "op"]);
  });

  test("the capture time is the tablet's local time with its offset: the same instant, readable as evidence", () => {
    const taken = new Date("2026-04-08T01:30:05Z");
    const text = outbox.deviceTime(taken);
    assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(new Date(text).getTime(), taken.getTime());
  });

  test("an issuance starts a push of its own: the changes before it go first", () => {
    const rows = ["create", "update", "issue", "create"].map((op, i) => ({ client_seq: i + 1, op }));
    assert.deepEqual(outbox.batchOf(rows).map((r) => r.client_seq), [1, 2]);
    assert.deepEqual(outbox.batchOf(rows.slice(2)).map((r) => r.client_seq), [3, 4]);
    assert.deepEqual(outbox.batchOf([]), []);
  });

  test("each send is counted on the change", () => {
    const row = outbox.row(edit({ post: "喷漆工" }), 3);
    assert.equal(row.attempts, 0);
    assert.equal(outbox.attempted(outbox.attempted(row)).attempts, 2);
    assert.equal(row.attempts, 0, "the stored row is not changed in place");
  });

  test("acknowledged changes are kept two weeks, for a server restored from a backup", () => {
    assert.equal(outbox.keptSince(new Date("2026-11-20T02:00:00Z")), "2026-11-06T02:00:00.000Z");
  });
});
