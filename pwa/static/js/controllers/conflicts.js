// @ts-check
/**
 * Open conflicts as both devices see them: the value the server kept and the value the other edit sent,
 * named with the record and the field's label. Supervisors resolve them (phase 2 screens; the API exists).
 * @module controllers/conflicts
 */
import * as db from "../db.js";
import * as formrules from "../formrules.js";
import * as formstore from "../formstore.js";
import * as session from "../session.js";
import { lang, t } from "../i18n.js";
import { formatValue, summarise } from "../summaries.js";
import { routeOfRecord } from "./submit.js";

/**
 * A field of a record as a person reads it: its label and a value formatted in the field's terms.
 * @param {any} record @param {string|null} fieldId
 */
export async function fieldReader(record, fieldId) {
  const names = new Map((await formstore.referenceOptions("oel_limits")).map((o) => [o.key, o]));
  const def = record ? formstore.definition(record.form_id, record.form_version) : null;
  const field = def && fieldId ? formrules.fieldSpec(def, record?.entity || "", fieldId) : null;
  return { label: field ? (lang() === "en" ? field.label_en : field.label_zh) : fieldId || "",
    format: (/** @type {any} */ value) => formatValue(field, value, lang(), names) };
}

/** Open conflicts, all of them or those of one record's tree (`rootId`). @param {string|null} [rootId] */
export async function conflictsModel(rootId = null) {
  const items = [];
  for (const conflict of await db.openConflicts()) {
    const record = await db.getRecord(conflict.record_id);
    if (rootId && record?.root_id !== rootId && conflict.record_id !== rootId) continue;
    const root = record ? await db.getRecord(record.root_id) : null;
    const reader = await fieldReader(record, conflict.field);
    const enterprise = root?.enterprise_id ? await db.getEnterprise(root.enterprise_id) : null;
    const summary = root ? summarise(root, new Map(enterprise ? [[enterprise.id, enterprise]] : [])) : null;
    items.push({
      id: conflict.id, kind: conflict.conflict_kind, field: conflict.field,
      field_label: reader.label,
      record_label: [summary?.title, record?.data?.sample_code].filter(Boolean).join(" · ") || t("conflict_record_elsewhere"),
      server_value: reader.format(conflict.server_value),
      client_value: reader.format(conflict.client_value),
      mine: conflict.client_device_id === session.deviceId(),
      route: record ? routeOfRecord(record) : null,
    });
  }
  return { items };
}
