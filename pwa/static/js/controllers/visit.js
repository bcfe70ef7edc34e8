// @ts-check
/**
 * The sampling visit: its samples (field samples and blanks, with volumes computed while typing), noise
 * measurements and the exposure evaluation — previewed by the server while online, or the evaluation the
 * server stored at the last sync — and, online, its step in the monitoring chain and 送检 (the handover of its
 * samples to the laboratory). No DOM.
 * @module controllers/visit
 */
import * as api from "../api.js";
import { today as clockToday } from "../clock.js";
import * as db from "../db.js";
import { compute } from "../forms/index.js";
import * as formstore from "../formstore.js";
import { visitLabels } from "../labels.js";
import * as records from "../records.js";
import { isEditable, reviewState } from "../replica.js";
import * as session from "../session.js";
import { handoverPdf, uploadSignature } from "./lab.js";

/** Fields a sampler copies from the previous sample: same post, same hazard, same pump settings. */
const COPIED = ["sample_type", "hazard_key", "workshop", "post", "sampling_point", "sampling_mode", "exposure_hours_per_day",
  "duration_type", "limit_type", "collector", "sampler_id", "flow_before_l_min", "oel_condition", "dust_fraction"];

const byCreation = (/** @type {any} */ a, /** @type {any} */ b) => a.created_local.localeCompare(b.created_local);

/** Hazard key → name, from the local OEL table. */
export async function hazardNames() {
  return new Map((await formstore.referenceOptions("oel_limits")).map((o) => [o.key, o]));
}

/** @param {string} visitId */
export async function visitModel(visitId) {
  const visit = await db.getRecord(visitId);
  if (!visit || visit.entity !== "sampling_visit") return null;
  const def = formstore.definition(visit.form_id, visit.form_version);
  const tree = await db.recordsBy("root_id", visitId);
  const live = tree.filter((r) => !r.deleted_local && r.parent_id === visitId);
  const samples = live.filter((r) => r.entity === "sample").sort(byCreation);
  const noise = live.filter((r) => r.entity === "noise_measurement").sort(byCreation);
  const names = await hazardNames();
  const sampleRows = samples.map((s) => {
    const computed = def ? compute(def, "sample", s.data, visit.data) : {};
    return { id: s.id, code: s.data.sample_code || "—", blank: s.data.sample_type === "blank", type: s.data.sample_type,
      hazard: names.get(s.data.hazard_key) || (s.data.hazard_key ? { zh: s.data.hazard_key, en: s.data.hazard_key } : null),
      post: s.data.post || "", start: s.data.start_time || null, end: s.data.end_time || null,
      volume: computed.volume_l ?? null, standard_volume: computed.standard_volume_l ?? null,
      lab: s.data.lab_concentration_mg_m3 ?? null, problems: (s.problems || []).length, unsynced: s.dirty === 1 };
  });
  const noiseRows = noise.map((n) => ({ id: n.id, post: n.data.post || "—", point: n.data.measurement_point || "",
    mode: n.data.measurement_mode || null, unsynced: n.dirty === 1 }));
  return { visit, def, enterprise: visit.enterprise_id ? await db.getEnterprise(visit.enterprise_id) : null,
    samples: sampleRows, noise: noiseRows, editable: isEditable(visit), state: reviewState(visit),
    comment: visit.server?.review_status === "returned" ? visit.server.review_comment : null,
    unsynced: tree.some((r) => r.dirty === 1), problems: visit.problems || [] };
}

/** @param {any} visit @param {any[]} samples @param {boolean} blank */
function nextCode(visit, samples, blank) {
  const task = String(visit.data.task_no || "");
  const prefix = /^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/.test(task) ? task : "S";
  const count = samples.filter((s) => (s.data.sample_type === "blank") === blank).length + 1;
  return `${prefix}-${blank ? "B" : ""}${String(count).padStart(2, "0")}`;
}

/**
 * A new sample: a field sample, a blank (same hazard and collector as the last sample) or a copy of the
 * previous field sample. Returns the new sample's id.
 * @param {string} visitId @param {"field"|"blank"|"copy"} kind
 */
export async function addSample(visitId, kind) {
  const visit = await db.getRecord(visitId);
  if (!visit) return null;
  const samples = (await db.recordsBy("root_id", visitId))
    .filter((r) => r.entity === "sample" && !r.deleted_local).sort(byCreation);
  const last = [...samples].reverse().find((s) => s.data.sample_type !== "blank") || samples[samples.length - 1];
  /** @type {Record<string, any>} */
  let data = { sample_type: "field" };
  if (kind === "copy" && last) {
    data = Object.fromEntries(COPIED.filter((f) => last.data[f] != null).map((f) => [f, last.data[f]]));
    data.sample_type = "field";
  } else if (kind === "blank") {
    data = { sample_type: "blank", ...(last?.data.hazard_key ? { hazard_key: last.data.hazard_key } : {}),
      ...(last?.data.collector ? { collector: last.data.collector } : {}) };
  }
  data.sample_code = nextCode(visit, samples, data.sample_type === "blank");
  return (await records.createChild(visit, "sample", data)).id;
}

/** @param {string} visitId */
export async function addNoise(visitId) {
  const visit = await db.getRecord(visitId);
  if (!visit) return null;
  return (await records.createChild(visit, "noise_measurement", { measurement_mode: "sound_level_meter" })).id;
}

/**
 * The evaluation to show: the server's stored one when this tablet has nothing unsynced for the visit,
 * else a live preview from the server, else (offline) the stored one marked stale, else nothing.
 * @param {string} visitId
 */
export async function evaluationModel(visitId) {
  const model = await visitModel(visitId);
  if (!model) return null;
  const stored = model.visit.server?.computed?.evaluation || null;
  const names = await hazardNames();
  const base = { model, names, stored };
  if (stored && !model.unsynced) return { ...base, mode: "stored", evaluation: stored };
  const tree = (await db.recordsBy("root_id", visitId)).filter((r) => !r.deleted_local);
  const payload = { form_version: model.visit.form_version, visit: model.visit.data,
    samples: tree.filter((r) => r.entity === "sample").map((r) => ({ ...r.data, id: r.id })),
    noise_measurements: tree.filter((r) => r.entity === "noise_measurement").map((r) => ({ ...r.data, id: r.id })) };
  try {
    const evaluation = await api.post("/api/evaluations", payload, { timeout: 15000 });
    return { ...base, mode: "online", evaluation };
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 422) {
      return { ...base, mode: "invalid", evaluation: stored, details: error.details || [] };
    }
    return deviceEvaluation(base, payload, stored);
  }
}

/**
 * Offline: what is known on site (noise, direct readings) judged on this tablet with the server's rules
 * (evaluation.js, proved equal by the golden cases); groups waiting for the laboratory keep the server's last
 * verdict where it had one.
 * @param {any} base @param {any} payload @param {any} stored
 */
async function deviceEvaluation(base, payload, stored) {
  const { evaluateOffline, REFERENCE_TABLES } = await import("../evaluation.js");
  /** @type {Record<string, any>} */
  const reference = { as_of: clockToday() };
  for (const table of REFERENCE_TABLES) reference[table] = (await formstore.rowsOf(table)).map((row) => row.data);
  const evaluation = evaluateOffline(payload.visit, payload.samples, payload.noise_measurements, reference);
  if (evaluation.status === "not_evaluated") return { ...base, mode: "invalid", evaluation: stored, details: evaluation.details };
  const key = (/** @type {any} */ g) => [g.hazard_key, g.fraction, g.condition, g.workshop, g.post].join("|");
  const known = new Map((stored?.groups || []).filter((/** @type {any} */ g) => g.status === "evaluated")
    .map((/** @type {any} */ g) => [key(g), g]));
  evaluation.groups = (evaluation.groups || []).map((/** @type {any} */ g) => (g.status === "pending" && known.get(key(g))) || g);
  return { ...base, mode: "device", evaluation };
}

/**
 * The labels of a visit drawn on the tablet (works offline): code, QR payload, hazard, type, date.
 * @param {string} visitId
 */
export async function labelsModel(visitId) {
  const visit = await db.getRecord(visitId);
  if (!visit || visit.entity !== "sampling_visit") return null;
  const samples = (await db.recordsBy("root_id", visitId)).filter((r) => r.entity === "sample" && !r.deleted_local);
  const names = new Map([...(await hazardNames()),
    ...(await formstore.referenceOptions("hazard_factors")).map((o) => /** @type {const} */ ([o.key, o]))]);
  const enterprise = visit.enterprise_id ? await db.getEnterprise(visit.enterprise_id) : null;
  return { visit, labels: visitLabels(visit, samples, /** @type {any} */ (names), enterprise?.name || "") };
}

/**
 * The server's label PDF (online; its samples must have synced). @param {string} visitId @param {string} layout
 * @returns {Promise<ArrayBuffer>}
 */
export function labelsPdf(visitId, layout) {
  return api.get(`/api/records/${visitId}/labels?layout=${encodeURIComponent(layout)}`, { binary: true, timeout: 60000 });
}

export const online = () => api.isOnline();

/** @param {string} visitId */
const monitoringOf = (visitId) => api.get(`/api/monitoring/visits/${encodeURIComponent(visitId)}`, { timeout: 8000 });

/**
 * The visit's step in the monitoring chain, from the server when this tablet is online and the visit reached it;
 * otherwise null (the field screens never wait for it).
 * @param {any} visit  the local record
 * @returns {Promise<{key: string, label_zh: string, label_en: string, step: number, steps: number}|null>}
 */
export async function lifecycle(visit) {
  if (!visit.server || !api.isOnline()) return null;
  try {
    return (await monitoringOf(visit.id)).state;
  } catch {
    return null; // offline again, or not yet on the server: the step is not shown
  }
}

/**
 * 送检, online only: the samples as the server holds them (those the laboratory analyses), the handovers so far,
 * and whether a handover can be made now (none waiting for the laboratory, a sample not yet received).
 * @param {any} model  visitModel
 */
export async function handoverModel(model) {
  const base = { server: null, notOnServer: !model.visit.server, unsynced: model.unsynced, samples: [], canHandOver: false };
  if (!model.visit.server) return base;
  let server;
  try {
    server = await monitoringOf(model.visit.id);
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 404) return { ...base, notOnServer: true };
    return base;
  }
  const samples = server.samples.filter((/** @type {any} */ s) => s.needs_lab);
  const open = server.handovers.some((/** @type {any} */ h) => !h.received_at);
  return { ...base, server, samples,
    canHandOver: session.hasRole("sampler") && !open && samples.some((/** @type {any} */ s) => !s.received) };
}

/**
 * Hand the samples over to the laboratory with their condition (code → intact | damaged | leaking | unsealed) and
 * the sampler's signature (its SHA-256, uploaded).
 * @param {string} visitId @param {Record<string, string>} conditions @param {string|null} signature
 */
export function handOver(visitId, conditions, signature) {
  return api.post(`/api/monitoring/visits/${encodeURIComponent(visitId)}/handover`, { conditions, signature });
}

export { handoverPdf, uploadSignature };
