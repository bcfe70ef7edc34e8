// @ts-check
/**
 * Administration of data, online: the enterprise registry (search; its import is controllers/imports.js) and the
 * published form versions (reference data: controllers/reference.js). No DOM.
 * @module controllers/registry
 */
import * as api from "../api.js";
import { entityFields } from "../forms/index.js";
import { label } from "../i18n.js";

/** @param {string} q @param {number} page */
export function enterprisesModel(q, page) {
  const query = new URLSearchParams({ page: String(page), per_page: "20" });
  if (q) query.set("q", q);
  return api.get(`/api/enterprises?${query}`);
}

/** Every published form version, and one version's outline when chosen. @param {string|null} formId @param {number|null} version */
export async function formsModel(formId, version) {
  const list = (await api.get("/api/forms?all_versions=true")).items;
  const newest = new Map();
  for (const f of list) newest.set(f.form_id, Math.max(newest.get(f.form_id) || 0, f.version));
  let outline = null;
  if (formId && version) {
    const form = await api.get(`/api/forms/${encodeURIComponent(formId)}/${version}`);
    outline = { form_id: form.form_id, version: form.version, hash: form.hash, title: label(form, "title"),
      entities: form.definition.entities.map((/** @type {any} */ spec) => ({ entity: spec.entity, label: label(spec), parent: spec.parent,
        fields: entityFields(spec).map(([field, section]) => ({ id: field.id, label: label(field), type: field.type,
          section: label(section), required: Boolean(field.required) })) })) };
  }
  return { forms: list.map((/** @type {any} */ f) => ({ ...f, title: label(f, "title"), current: newest.get(f.form_id) === f.version })), outline };
}
