// @ts-check
/**
 * Exports for the national system and reports, online: start one (XLSX or CSV, a period, a district), follow
 * its progress while the server writes it, download the file. The server has no list of a user's jobs, so
 * this device remembers the last few it started. No DOM.
 * @module controllers/exports
 */
import * as api from "../api.js";
import * as db from "../db.js";
import { pickers } from "./office.js";

export const KINDS = ["samples", "national", "findings", "rectifications", "assistance", "followups", "literacy"];
const KEPT = 12;
const POLL_MS = 400;

/** The jobs started here (newest first, as the server reports them now) and the districts to choose from. */
export async function exportsModel() {
  const ids = (await db.getMeta("export_jobs")) || [];
  const [jobs, options] = await Promise.all([Promise.all(ids.map((/** @type {string} */ id) =>
    api.get(`/api/exports/${id}`).catch(() => null))), pickers()]);
  return { jobs: jobs.filter(Boolean), districts: options.regions.filter((/** @type {any} */ r) => r.level === "district") };
}

/**
 * Start an export; empty filters are left out.
 * @param {{kind: string, format: string, date_from?: string, date_to?: string, region_id?: string}} request
 */
export async function startExport(request) {
  /** @type {Record<string, any>} */
  const body = { kind: request.kind, format: request.format };
  if (request.date_from) body.date_from = request.date_from;
  if (request.date_to) body.date_to = request.date_to;
  if (request.region_id) body.region_id = Number(request.region_id);
  const job = await api.post("/api/exports", body);
  await db.setMeta("export_jobs", [job.id, ...((await db.getMeta("export_jobs")) || [])].slice(0, KEPT));
  return job;
}

/**
 * Ask the server how far a job has come until it is done or failed, or the screen is gone.
 * @param {any} job @param {(job: any) => void} onUpdate @param {() => boolean} active
 */
export async function follow(job, onUpdate, active) {
  let state = job;
  while (active() && !["done", "failed"].includes(state.status)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    state = await api.get(`/api/exports/${job.id}`);
    if (active()) onUpdate(state);
  }
  return state;
}

/** The finished file's bytes (a district's year can take a while to send). @param {any} job */
export const download = (job) => api.request("GET", `/api/exports/${job.id}/file`, { binary: true, timeout: 180_000 });
