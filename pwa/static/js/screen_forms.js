// @ts-check
/**
 * Wiring shared by the screens: a record's form drawn and connected to its controller, and the submit
 * section of a record tree. No logic of its own and no DOM of its own.
 * @module screen_forms
 */
import { formActions, loadForm } from "./controllers/form.js";
import { submitCheck, submitRoot } from "./controllers/submit.js";
import * as formrules from "./formrules.js";
import { label, t } from "./i18n.js";
import { isEditable } from "./replica.js";
import * as sync from "./sync.js";
import { renderMessage } from "./views/common.js";
import { renderForm } from "./views/form.js";
import { signatureDialog } from "./views/signature.js";
import { renderSubmit } from "./views/submit.js";

/** @typedef {import("./screens.js").Context} Context */

/**
 * Load a record's form; returns the function that draws it (wired to its controller) into an element.
 * Loading first and drawing after keeps a redraw from flashing an empty screen.
 * @param {string} recordId @param {Context} ctx @param {string[]} [only]  draw only these fields
 * @returns {Promise<(el: HTMLElement) => void>}
 */
export async function prepareForm(recordId, ctx, only = undefined) {
  const model = await loadForm(recordId);
  if (!model) return (el) => renderMessage(el, t("not_found"));
  if ("missing" in model) return (el) => renderMessage(el, t("form_missing"));
  const failed = (/** @type {any} */ error) => {
    console.error(error);
    ctx.toast(t("save_failed"), "error");
  };
  const actions = formActions(model, ctx.refresh, failed);
  return (el) => {
    renderForm(el, { def: model.def, entity: model.entity, data: { ...model.record.data, ...model.values }, editable: model.editable,
      state: model.state, options: model.options, attachments: model.attachments, fields: only,
      enterpriseLabel: model.enterprise ? `${model.enterprise.name}（${model.enterprise.credit_code}）` : undefined,
      registerLabels: model.registerLabels }, {
      change: (field, value) => actions.change(field, value).catch((error) => { failed(error); return model.state; }),
      typing: (field, value) => actions.typing(field, value),
      confirm: (key) => actions.confirm(key).catch((error) => { failed(error); return model.state; }),
      photo: (field, file) => {
        ctx.toast(t("processing"));
        actions.photo(field, file).catch(failed);
      },
      signature: (field) => {
        const spec = formrules.fieldSpec(model.def, model.entity, field);
        ctx.dialog((close) => signatureDialog(close, label(spec), (drawn) => actions.signature(field, drawn).catch(failed)));
      },
      remove: (id) => { if (confirm(t("confirm_delete"))) actions.remove(id).catch(failed); },
    });
  };
}

/** Records whose submit was tried in this session: their missing items are listed in full. */
const attempted = new Set();

/**
 * Load the submit check of a record tree; returns the function that draws the submit section.
 * @param {string} rootId @param {Context} ctx @param {boolean} [collapse] @returns {Promise<(el: HTMLElement) => void>}
 */
export async function prepareSubmit(rootId, ctx, collapse = false) {
  const check = await submitCheck(rootId);
  return (el) => renderSubmit(el, { ...check, editable: check.root ? isEditable(check.root) : false,
    collapsed: collapse && !attempted.has(rootId) }, {
    submit: async () => {
      attempted.add(rootId);
      const result = await submitRoot(rootId);
      if (result.submitted) {
        ctx.toast(t("submitted_wait"));
        sync.syncNow("submit");
      } else {
        ctx.toast(t("submit_problems", { n: result.items.filter((i) => !i.server).length }), "error");
      }
      ctx.refresh();
    },
  });
}

