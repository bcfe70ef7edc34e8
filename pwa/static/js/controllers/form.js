// @ts-check
/**
 * Filling in one record: what its form screen shows and what its inputs do. Values are checked with the
 * shared validator while typing; a value that is wrong is shown with its message and not saved, so the
 * outbox never carries a change the server would reject, but it is kept as typed (entries.js) and shown again,
 * marked, after a reload until it is corrected. Unlikely readings ask for a confirmation (plausibility.js). No DOM.
 * @module controllers/form
 */
import * as db from "../db.js";
import { entriesOf, keepEntries, typingIn } from "../entries.js";
import * as formrules from "../formrules.js";
import * as formstore from "../formstore.js";
import * as media from "../media.js";
import { confirmation, warningsOf } from "../plausibility.js";
import * as patients from "./patients.js";
import * as registers from "./registers.js";
import * as records from "../records.js";
import * as replica from "../replica.js";

/**
 * @typedef {{record: any, root: any, parent: any, def: any, entity: string, context: any,
 *   options: Record<string, any[]>, attachments: Record<string, any[]>, enterprise: any,
 *   registerLabels: Record<string, string>, editable: boolean,
 *   state: any, values: Record<string, any>, saving: Promise<any>, complete: any[]}} FormModel
 *   `values`: what was typed and not saved yet or refused (shown in place of the saved value)
 */

/**
 * The screen's state of some data: the form's states, computed values and errors, with the plausibility warnings.
 * @param {any} def @param {string} entity @param {Record<string, any>} data @param {any} parent @param {any} context
 */
function stateOf(def, entity, data, parent, context) {
  return { ...formrules.formState(def, entity, data, parent, context), warnings: warningsOf(entity, data) };
}

/**
 * The entries of a record that belong to its form (fields it has), for a record that can still be edited.
 * @param {any} record @param {any} def @param {boolean} editable
 */
export function knownEntries(record, def, editable) {
  if (!editable) return {};
  const fields = new Set(formrules.fieldIds(def, record.entity));
  return Object.fromEntries(Object.entries(entriesOf(record.id)).filter(([field]) => fields.has(field)));
}

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
  /** @type {Record<string, string>} */
  const registerLabels = {};
  for (const field of formrules.registerFields(def, record.entity)) {
    const shown = await registers.fileLabel(record.data[field.id]);
    if (shown) registerLabels[field.id] = shown;
  }
  const editable = root ? replica.isEditable(root) : false;
  // What was typed and not saved comes back: refused entries as typed, marked; an accepted one (the text of the
  // field being typed when the page went away) is saved now.
  let entries = knownEntries(record, def, editable);
  let data = { ...record.data, ...entries };
  let state = stateOf(def, record.entity, data, parent?.data || null, context);
  const wrong = new Set(state.errors.map((/** @type {any} */ e) => e.field));
  const accepted = Object.fromEntries(Object.entries(entries).filter(([field]) => !wrong.has(field)));
  if (Object.keys(accepted).length) {
    const saved = await records.saveFields(record.id, accepted);
    keepEntries(record.id, {}, Object.keys(accepted));
    if (saved) Object.assign(record, saved);
    entries = Object.fromEntries(Object.entries(entries).filter(([field]) => wrong.has(field)));
    data = { ...record.data, ...entries };
    state = stateOf(def, record.entity, data, parent?.data || null, context);
  }
  return { record, root, parent, def, entity: record.entity, context, options, attachments, enterprise, registerLabels, editable,
    state: { ...state, problems: record.problems || [] }, values: entries, saving: Promise.resolve(), complete: [] };
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
  /**
   * Take new values of fields (one typed, or several filled in): checked, kept, saved.
   * @param {string} field  the field the person changed @param {Record<string, any>} values
   */
  async function update(field, values) {
    typingIn(model.record.id, field, undefined);
    model.values = { ...model.values, ...values };
    // Choosing an officer keeps their name with the choice, as the roster names them now.
    const spec = formrules.fieldSpec(model.def, model.entity, field);
    if (spec?.type === "officer" && spec.name_field) {
      const chosen = (model.options.officers || []).find((o) => o.key === values[field]);
      model.values[spec.name_field] = chosen ? chosen.zh : null;
    }
    const data = { ...model.record.data, ...model.values };
    const state = stateOf(model.def, model.entity, data, model.parent?.data || null, model.context);
    const wrong = new Set(state.errors.map((e) => e.field));
    const ready = Object.fromEntries(Object.entries(model.values).filter(([key]) => !wrong.has(key) &&
      !replica.sameValue(model.record.data[key], model.values[key])));
    // Refused entries are kept as typed (a reload shows them again, marked); accepted ones are values now.
    // A value being saved is kept too until the save is in (a reload right after a tap loses nothing).
    const id = model.record.id;
    keepEntries(id, Object.fromEntries(Object.entries(model.values).filter(([key]) => wrong.has(key) || key in ready)),
      Object.keys(model.values).filter((key) => !wrong.has(key) && !(key in ready)));
    if (Object.keys(ready).length) {
      model.saving = model.saving.then(() => records.saveFields(id, ready)).then((saved) => {
        if (saved) model.record = saved;
        const kept = entriesOf(id);
        keepEntries(id, {}, Object.keys(ready).filter((key) => replica.sameValue(kept[key], ready[key])));
      });
      model.saving.catch(onError);
    }
    model.complete = model.complete.filter((e) => e.field !== field);
    const problems = (model.record.problems || [])
      .filter((/** @type {import("../replica.js").Problem} */ p) => p.field !== field);
    return { ...state, problems, complete: model.complete };
  }

  const actions = {
    /**
     * A value entered: the screen's state comes back at once (computed values follow the typing); the
     * save runs behind it, in order. A wrong value is shown with its message and not saved.
     * @param {string} field @param {any} value
     */
    async change(field, value) {
      const state = await update(field, { [field]: value });
      // A follow-up typed by case number, not started from the file: a file of that number on this tablet fills in
      // what it knows (identity, diagnosis, exposure — the fields still empty) and links the follow-up to it.
      const data = { ...model.record.data, ...model.values };
      if (model.entity === "followup" && field === "case_no" && !data.patient_id) {
        const filled = await patients.fromFileByCase(value, data);
        if (filled) return { ...(await update(field, filled)), shown: filled };
      }
      return state;
    },
    /**
     * Text being typed in a field, not yet a change: written to the entries if the page goes away meanwhile.
     * @param {string} field @param {any} value
     */
    typing(field, value) {
      if (model.editable) typingIn(model.record.id, field, value);
    },
    /**
     * Confirm an unlikely reading: the confirmation is written into the record's notes (saved like a typed value).
     * @param {string} key
     */
    async confirm(key) {
      const data = { ...model.record.data, ...model.values };
      const note = confirmation(model.entity, data, key);
      if (note) {
        const state = await actions.change(note.field, note.value);
        // A stage change is an event of the patient's file as well: it goes into the file once confirmed.
        if (key === "stage_change") await patients.recordStageChange({ ...model.record, data: { ...data, [note.field]: note.value } });
        return { ...state, shown: { [note.field]: note.value } };
      }
      return stateOf(model.def, model.entity, data,
        model.parent?.data || null, model.context);
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
  return actions;
}
