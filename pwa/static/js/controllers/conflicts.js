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
import { lang } from "../i18n.js";
import { formatValue, summarise } from "../summaries.js";
import { routeOfRecord } from "./submit.js";

export async function conflictsModel() {
  const names = new Map((await formstore.referenceOptions("oel_limits")).map((o) => [o.key, o]));
  const items = [];
  for (const conflict of await db.openConflicts()) {
    const record = await db.getRecord(conflict.record_id);
    const root = record ? await db.getRecord(record.root_id) : null;
    const def = record ? formstore.definition(record.form_id, record.form_version) : null;
    const field = def && conflict.field ? formrules.fieldSpec(def, record?.entity || "", conflict.field) : null;
    const enterprise = root?.enterprise_id ? await db.getEnterprise(root.enterprise_id) : null;
    const summary = root ? summarise(root, new Map(enterprise ? [[enterprise.id, enterprise]] : [])) : null;
    items.push({
      id: conflict.id, kind: conflict.conflict_kind, field: conflict.field,
      field_label: field ? (lang() === "en" ? field.label_en : field.label_zh) : conflict.field,
      record_label: [summary?.title, record?.data?.sample_code].filter(Boolean).join(" · ") || conflict.record_id,
      server_value: formatValue(field, conflict.server_value, lang(), names),
      client_value: formatValue(field, conflict.client_value, lang(), names),
      mine: conflict.client_device_id === session.deviceId(),
      route: record ? routeOfRecord(record) : null,
    });
  }
  return { items };
}
