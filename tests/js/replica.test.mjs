// A record's copy on the tablet (pwa/static/js/replica.js): what the field worker typed and the server has not
// acknowledged stays on top of everything a sync brings; what the server answers decides what the screen shows.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as outbox from "../../pwa/static/js/outbox.js";
import * as replica from "../../pwa/static/js/replica.js";

const VISIT = "5e0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
const SAMPLE = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

/** A sample as a pull brings it. */
const pulled = (data, extra = {}) => ({ kind: "record", id: SAMPLE, entity: "sample", form_id: "sampling_visit",
  form_version: 2, parent_id: VISIT, root_id: VISIT, enterprise_id: "e-1", data, computed: {},
  field_versions: Object.fromEntries(Object.keys(data).map((k) => [k, 10])), change_no: 10, created_by: 7, ...extra });

/** The sample synced, then edited on this tablet. */
function editedSample(changes) {
  const synced = replica.fromServer(undefined, pulled({ sample_code: "LH-01", post: "喷漆工", flow_l_min: 0.2 }));
  return replica.withEdit(synced, changes);
}

/** The outbox row of an edit of the sample. */
const sent = (fields, op = "update", seq = 5) => outbox.row(outbox.mutation({ entity: "sample", record_id: SAMPLE, op, fields,
  base: op === "update" ? Object.fromEntries(Object.keys(fields).map((k) => [k, 10])) : null, form_version: 2 }), seq);

describe("a pull never overwrites an unsynced edit", () => {
  test("the worker's value stays on screen; the fields they did not touch follow the server", () => {
    const local = editedSample({ post: "调漆工" });
    const next = replica.fromServer(local, pulled({ sample_code: "LH-01", post: "喷漆工（改）", flow_l_min: 0.25 },
      { field_versions: { post: 14, flow_l_min: 15 }, change_no: 15 }));
    assert.equal(next.data.post, "调漆工");
    assert.equal(next.data.flow_l_min, 0.25);
    assert.deepEqual(next.pending, { post: "调漆工" });
    assert.equal(next.server.data.post, "喷漆工（改）", "the server's value is kept apart, for the conflict check");
    assert.equal(next.dirty, 1, "still counted as unsynced");
  });

  test("the tablet remembers the newest version of each field it has seen", () => {
    const local = { ...editedSample({ post: "调漆工" }), versions: { post: 20, flow_l_min: 3 } };
    const next = replica.fromServer(local, pulled({ post: "喷漆工", flow_l_min: 0.3 },
      { field_versions: { post: 12, flow_l_min: 16 } }));
    assert.deepEqual(next.versions, { post: 20, flow_l_min: 16 });
  });

  test("a record first seen in a pull is synced and shows the server's values", () => {
    const record = replica.fromServer(undefined, pulled({ sample_code: "LH-01" }));
    assert.equal(record.dirty, 0);
    assert.equal(record.create_state, "applied");
    assert.deepEqual(record.data, { sample_code: "LH-01" });
    assert.equal(record.root_id, VISIT);
    assert.equal(record.owner_id, 7);
  });

  test("a submit still waiting keeps the record read-only through a pull", () => {
    const waiting = replica.withState(editedSample({}), { submit_state: "waiting" });
    const next = replica.fromServer(waiting, pulled({ sample_code: "LH-01" }, { review_status: "draft" }));
    assert.equal(replica.reviewState(next), "submitting");
    assert.equal(replica.isEditable(next), false);
  });
});

describe("tombstones", () => {
  test("a record deleted on the server leaves the tablet when nothing of it is unsynced", () => {
    const synced = replica.fromServer(undefined, pulled({ sample_code: "LH-01" }));
    assert.equal(replica.fromServer(synced, pulled({}, { deleted: true })), null);
    assert.equal(replica.fromServer(undefined, pulled({}, { deleted: true })), null);
  });

  test("a record deleted on the server stays while the worker's edit of it is unsynced", () => {
    const next = replica.fromServer(editedSample({ post: "调漆工" }), pulled({}, { deleted: true }));
    assert.notEqual(next, null);
    assert.equal(next.server.deleted, true);
    assert.deepEqual(next.pending, { post: "调漆工" });
    assert.equal(next.dirty, 1);
  });

  test("a reset keeps every record with unsynced work", () => {
    const clean = replica.fromServer(undefined, pulled({ sample_code: "LH-01" }));
    assert.equal(replica.keepOnReset(clean, new Set()), false);
    assert.equal(replica.keepOnReset(editedSample({ post: "调漆工" }), new Set()), true);
    assert.equal(replica.keepOnReset(clean, new Set([SAMPLE])), true, "named by a waiting change or an open rejection");
  });
});

describe("what the server's answer does to the record", () => {
  test("an applied edit is synced: the value is the server's and its version is the new change number", () => {
    const local = editedSample({ post: "调漆工" });
    const { record, conflicts, rejection } = replica.acknowledge(local, sent({ post: "调漆工" }),
      { client_seq: 5, status: "applied", applied_fields: ["post"], change_no: 31 }, "device-1");
    assert.deepEqual(record.pending, {});
    assert.equal(record.dirty, 0);
    assert.equal(record.versions.post, 31);
    assert.deepEqual([conflicts, rejection], [[], null]);
  });

  test("a value typed again while the first was on its way is not lost when the first is acknowledged", () => {
    const local = editedSample({ post: "调漆工（二）" });
    const { record } = replica.acknowledge(local, sent({ post: "调漆工" }),
      { client_seq: 5, status: "applied", applied_fields: ["post"], change_no: 31 }, "device-1");
    assert.deepEqual(record.pending, { post: "调漆工（二）" });
    assert.equal(record.data.post, "调漆工（二）");
    assert.equal(record.dirty, 1);
  });

  test("a conflict shows the server's value and keeps the worker's for the supervisor", () => {
    const local = editedSample({ post: "调漆工" });
    const { record, conflicts } = replica.acknowledge(local, sent({ post: "调漆工" }), { client_seq: 5, status: "conflict",
      applied_fields: [], conflicts: [{ conflict_id: "c-1", kind: "field", field: "post", server_value: "喷漆工（主管）" }] },
    "device-1");
    assert.equal(record.data.post, "喷漆工（主管）");
    assert.deepEqual(record.pending, {});
    assert.equal(conflicts.length, 1);
    assert.deepEqual({ ...conflicts[0] }, { id: "c-1", record_id: SAMPLE, record_entity: "sample", conflict_kind: "field",
      field: "post", server_value: "喷漆工（主管）", client_value: "调漆工", client_device_id: "device-1", status: "open" });
  });

  test("a refused change is kept with its reasons at the fields, and the record stays unsynced", () => {
    const local = editedSample({ flow_l_min: -1 });
    const error = { code: "VALIDATION", message: "数据有误",
      details: [{ field: "flow_l_min", code: "min", message: "流量不能小于 0", message_en: "Flow must be ≥ 0" }] };
    const row = sent({ flow_l_min: -1 });
    const { record, rejection } = replica.acknowledge(local, row, { client_seq: 5, status: "rejected", error }, "device-1");
    assert.equal(rejection.mutation_id, row.mutation_id);
    assert.equal(rejection.state, "open");
    assert.deepEqual(rejection.error, error);
    assert.deepEqual(record.problems, [{ field: "flow_l_min", code: "min", message: "流量不能小于 0",
      message_en: "Flow must be ≥ 0" }]);
    assert.deepEqual(record.pending, { flow_l_min: -1 }, "the entry is not thrown away");
    assert.equal(record.dirty, 1);
    const fixed = replica.withEdit(record, { flow_l_min: 0.3 });
    assert.deepEqual(fixed.problems, [], "correcting the field clears its message");
  });

  test("a quarantined create marks the record as not created, so it can be sent again", () => {
    const made = replica.newRecord({ id: SAMPLE, entity: "sample", form_id: "sampling_visit", form_version: 9, parent_id: VISIT,
      root_id: VISIT, owner_id: 7, data: { sample_code: "LH-01" } });
    const { record, rejection } = replica.acknowledge(made, sent({ sample_code: "LH-01" }, "create"),
      { client_seq: 5, status: "quarantined", error: { code: "UNKNOWN_FORM_VERSION", message: "表单版本未知" } }, "device-1");
    assert.equal(record.create_state, "rejected");
    assert.equal(rejection.status, "quarantined");
    assert.deepEqual(record.problems, [{ field: null, code: "UNKNOWN_FORM_VERSION", message: "表单版本未知" }]);
  });

  test("a delete the server applied removes the record; a delete in conflict brings it back", () => {
    const deleted = replica.withState(editedSample({}), { deleted_local: 1 });
    assert.equal(replica.acknowledge(deleted, sent(null, "delete"), { client_seq: 5, status: "applied" }, "d").record, null);
    const { record, conflicts } = replica.acknowledge(deleted, sent(null, "delete"), { client_seq: 5, status: "conflict",
      conflicts: [{ conflict_id: "c-2", kind: "delete_vs_edit", field: null, server_value: null }] }, "d");
    assert.equal(record.deleted_local, 0);
    assert.deepEqual(conflicts[0].client_value, { deleted: true });
  });

  test("an answer about a record no longer on the tablet changes nothing", () => {
    assert.deepEqual(replica.acknowledge(undefined, sent({ post: "x" }), { status: "applied" }, "d"),
      { record: undefined, conflicts: [], rejection: null });
  });
});

describe("messages of a refused visit reach the record they are about", () => {
  test("INCOMPLETE names fields across the visit and its samples; each record shows its own", () => {
    const error = { code: "INCOMPLETE", message: "记录不完整", details: [
      { field: `sample[${SAMPLE}].flow_l_min`, code: "required", message: "必填" },
      { field: "escort_signature", record_id: VISIT, code: "required", message: "陪同人签名必填" },
    ] };
    assert.deepEqual(replica.problemsFor(SAMPLE, error), [{ field: "flow_l_min", code: "required", message: "必填",
      message_en: undefined }]);
    assert.deepEqual(replica.problemsFor(VISIT, error).map((p) => p.field), ["escort_signature"]);
    assert.deepEqual(replica.problemsFor("other", error), [{ field: null, code: "INCOMPLETE", message: "记录不完整" }]);
  });
});

describe("what the worker may still change", () => {
  test("a draft or a returned record is editable; a submitted, locked or issued one is not", () => {
    const draft = replica.fromServer(undefined, pulled({}, { review_status: "draft" }));
    assert.equal(replica.isEditable(draft), true);
    assert.equal(replica.isEditable(replica.fromServer(undefined, pulled({}, { review_status: "returned" }))), true);
    assert.equal(replica.isEditable(replica.fromServer(undefined, pulled({}, { review_status: "submitted" }))), false);
    assert.equal(replica.isEditable(replica.fromServer(undefined, pulled({}, { locked: "review" }))), false);
    const issuedHere = replica.withState(draft, { locked_local: "document" });
    assert.equal(replica.reviewState(issuedHere), "issued");
    assert.equal(replica.isEditable(issuedHere), false);
  });
});

describe("records leave the tablet when they leave the working set, never with unsynced work", () => {
  /** A visit with one sample as a pull brings them, approved on `day`. */
  const tree = (day, { review = "approved", visit = {}, sample = {} } = {}) => [
    { ...replica.fromServer(undefined, { kind: "record", id: VISIT, entity: "sampling_visit", form_id: "sampling_record",
      form_version: 3, parent_id: null, root_id: VISIT, enterprise_id: "e-1", data: { sampling_date: day },
      computed: {}, field_versions: { sampling_date: 3 }, change_no: 3, review_status: review, created_by: 7 }), ...visit },
    { ...replica.fromServer(undefined, pulled({ sample_code: "LH-01" })), ...sample },
  ];
  const none = new Set();

  test("an approved visit dated before the working set leaves; one inside it stays", () => {
    assert.equal(replica.leftWorkingSet(tree("2025-10-08"), "2025-11-20", none), true);
    assert.equal(replica.leftWorkingSet(tree("2025-11-20"), "2025-11-20", none), false);
  });

  test("not yet approved, edited here, waiting in the outbox, pinned or in conflict: it stays", () => {
    assert.equal(replica.leftWorkingSet(tree("2024-01-05", { review: "submitted" }), "2025-11-20", none), false);
    assert.equal(replica.leftWorkingSet(tree("2024-01-05", { sample: { dirty: 1 } }), "2025-11-20", none), false);
    assert.equal(replica.leftWorkingSet(tree("2024-01-05"), "2025-11-20", new Set([SAMPLE])), false);
    assert.equal(replica.leftWorkingSet(tree("2024-01-05", { visit: { pinned: 1 } }), "2025-11-20", none), false);
    const disputed = tree("2024-01-05");
    disputed[0] = { ...disputed[0], server: { ...disputed[0].server, conflict_open: true } };
    assert.equal(replica.leftWorkingSet(disputed, "2025-11-20", none), false);
  });
});
