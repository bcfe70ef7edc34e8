// @ts-check
/**
 * Filling in one record: what its form screen shows and what its inputs do. Values are checked with the
 * shared validator while typing; a value that is wrong is shown with its message and not saved, so the
 * outbox never carries a change the server would reject. No DOM.
 * @module controllers/form
 */
import * as db from "../db.js";
import * as formrules from "../formrules.js";
import * as formstore from "../formstore.js";
import * as media from "../media.js";
import * as records from "../records.js";
import * as replica from "../replica.js";

/**
 * @typedef {{record: any, root: any, parent: any, def: any, entity: string, context: any,
 *   options: Record<string, any[]>, attachments: Record<string, any[]>, enterprise: any, editable: boolean,
 *   state: any, values: Record<string, any>, saving: Promise<any>, complete: any[]}} FormModel
 */

/**
 * Attachments of a record per field, with the thumbnails kept on this tablet.
 * @param {string} recordId
 */
export async function attachmentItems(recordId) {
  /** @type {Record<string, any[]>} */
  const out = {};
  const byField = await records.attachmentsOf(recordId);
  for (const [field, list] of Object.entries(byField)) {
    out[field] = [];
    for (const attachment of list) {
      const photo = await db.getPhoto(attachment.id);
      const signature = attachment.data.kind === "signature" || attachment.data.mime === "image/png";
      out[field].push({ id: attachment.id, thumb: photo?.thumb || null, thumb_mime: signature ? "image/png" : "image/jpeg",
        uploaded: photo ? photo.state === "uploaded" : Boolean(attachment.server?.computed?.uploaded) });
    }
  }
  return out;
}

/**
 * Everything the form screen of one record needs, or null when the record is not on this tablet.
 * @param {string} recordId @returns {Promise<FormModel|null|{missing: true}>}
 */
export async function loadForm(recordId) {
  const record = await db.getRecord(recordId);
  if (!record || record.deleted_local) return null;
  const def = formstore.definition(record.form_id, record.form_version);
  if (!def) return { missing: true };
  const root = record.root_id === record.id ? record : await db.getRecord(record.root_id);
  const parent = record.parent_id ? await db.getRecord(record.parent_id) : null;
  const attachments = await attachmentItems(record.id);
  const context = await formrules.contextFor(def, record.entity);
  /** @type {Record<string, any[]>} */
  const options = {};
  for (const table of Object.keys(context.references)) options[table] = await formstore.referenceOptions(table);
  if (formrules.officerFields(def, record.entity).length) options.officers = await formstore.officerOptions();
  const enterprise = record.enterprise_id ? await db.getEnterprise(record.enterprise_id) : null;
  const state = { ...formrules.formState(def, record.entity, record.data, parent?.data || null, context),
    problems: record.problems || [] };
  return { record, root, parent, def, entity: record.entity, context, options, attachments, enterprise,
    editable: root ? replica.isEditable(root) : false, state, values: {}, saving: Promise.resolve(), complete: [] };
}

/**
 * Complete-mode errors of one record (what submitting needs), attachments counted.
 * @param {FormModel} model
 */
export function completeErrors(model) {
  const counts = Object.fromEntries(Object.entries(model.attachments).map(([field, list]) => [field, list.length]));
  return formrules.completeErrors(model.def, model.entity, { ...model.record.data, ...model.values },
    model.parent?.data || null, { ...model.context, attachments: counts });
}

/**
 * The actions of a form screen. `refresh` redraws the screen (after a photo or a signature); `onError`
 * tells the user a save failed.
 * @param {FormModel} model @param {() => void} refresh @param {(error: any) => void} onError
 */
export function formActions(model, refresh, onError) {
  return {
    /**
     * A value entered: the screen's state comes back at once (computed values follow the typing); the
     * save runs behind it, in order. A wrong value is shown with its message and not saved.
     * @param {string} field @param {any} value
     */
    async change(field, value) {
      model.values = { ...model.values, [field]: value };
      // Choosing an officer keeps their name with the choice, as the roster names them now.
      const spec = formrules.fieldSpec(model.def, model.entity, field);
      if (spec?.type === "officer" && spec.name_field) {
        const chosen = (model.options.officers || []).find((o) => o.key === value);
        model.values[spec.name_field] = chosen ? chosen.zh : null;
      }
      const data = { ...model.record.data, ...model.values };
      const state = formrules.formState(model.def, model.entity, data, model.parent?.data || null, model.context);
      const wrong = new Set(state.errors.map((e) => e.field));
      const ready = Object.fromEntries(Object.entries(model.values).filter(([key]) => !wrong.has(key) &&
        !replica.sameValue(model.record.data[key], model.values[key])));
      if (Object.keys(ready).length) {
        model.saving = model.saving.then(() => records.saveFields(model.record.id, ready)).then((saved) => {
          if (saved) model.record = saved;
        });
        model.saving.catch(onError);
      }
      model.complete = model.complete.filter((e) => e.field !== field);
      const problems = (model.record.problems || [])
        .filter((/** @type {import("../replica.js").Problem} */ p) => p.field !== field);
      return { ...state, problems, complete: model.complete };
    },
    /** @param {string} field @param {File} file */
    async photo(field, file) {
      await model.saving;
      const image = await media.processPhoto(file);
      await records.attach(model.record, field, image, "photo");
      refresh();
    },
    /** @param {string} field @param {{blob: Blob, width: number, height: number}} drawn */
    async signature(field, drawn) {
      await model.saving;
      const image = await media.processSignature(drawn.blob, drawn.width, drawn.height);
      for (const old of model.attachments[field] || []) await records.deleteRecord(old.id);
      await records.attach(model.record, field, { ...image, thumb: image.bytes.slice(0) }, "signature");
      refresh();
    },
    /** @param {string} id */
    async remove(id) {
      await records.deleteRecord(id);
      refresh();
    },
  };
}
