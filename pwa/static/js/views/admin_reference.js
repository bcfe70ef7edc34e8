// @ts-check
/**
 * Reference data with four eyes: the tables, the changes waiting for a second administrator (each with what it
 * changes, field by field, in Chinese) or for their effective date, the rows in force with their version; the
 * dialogs that propose a change, verify or withdraw one, check a row against the text, and show a row's history.
 * @module views/admin_reference
 */
import { dateTime, number, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, messageOf } from "./common.js";
import { table, tr } from "./office.js";

/** The strings of this screen (i18n_reference.js, added by screens_admin.js). @param {string} key @param {Record<string, any>} [params] */
const s = (key, params) => t(/** @type {any} */ (key), params);

/** A stored value as a person reads it. @param {any} value */
function shown(value) {
  if (value == null || value === "") return s("ref_empty_value");
  if (typeof value === "number") return number(value);
  if (typeof value === "boolean") return s(value ? "ref_yes" : "ref_no");
  if (Array.isArray(value)) return value.length ? value.join("、") : s("ref_empty_value");
  if (typeof value === "object") return s("ref_structured");
  return String(value);
}

/** @param {any} c  a change */
function statusText(c) {
  return s(`ref_status_${c.status}`, { date: c.in_force_from || c.effective_on });
}

/** @param {any} c */
function diffTable(c) {
  return table([s("ref_field"), s("ref_before"), s("ref_after")], c.changes.map((/** @type {any} */ x) =>
    [x.label, shown(x.before), shown(x.after)]), { "data-testid": "change-diff" });
}

/**
 * The details of an error under the fields they name (labelled in Chinese by the server), the rest below.
 * @param {HTMLElement} form @param {HTMLElement} general @param {any} error
 */
function showProblems(form, general, error) {
  for (const slot of form.querySelectorAll("[data-problem]")) slot.textContent = "";
  const rest = [];
  for (const detail of error?.details || []) {
    const slot = detail.field ? form.querySelector(`[data-problem="${CSS.escape(detail.field)}"]`) : null;
    if (slot) slot.textContent = messageOf(detail);
    else rest.push(messageOf(detail));
  }
  replace(general, [error?.message || String(error), ...rest].filter(Boolean).join(" — "));
}

/** @param {string} name @param {string} text @param {HTMLElement} input @param {string} [hint] */
function field(name, text, input, hint) {
  return h("label", { class: "field", "data-field": name }, h("div", { class: "field-label" }, text), input,
    hint ? h("div", { class: "muted" }, hint) : null, h("div", { class: "field-msg", role: "alert", "data-problem": name }));
}

/** @param {any} f  an editable field */
function inputOf(f) {
  const value = f.value ?? "";
  if (f.type === "text" && String(value).length > 40) return h("textarea", { class: "input", name: f.key, rows: 3 }, String(value));
  const type = f.type === "number" || f.type === "integer" ? "number" : f.type === "date" ? "date" : "text";
  return h("input", { class: "input", name: f.key, value: String(value), type, step: f.type === "integer" ? "1" : "any" });
}

/**
 * The dialog that proposes new values for a row: every field labelled in Chinese, the date from which the change
 * applies and its basis. Saved, it waits for a second administrator.
 * @param {() => void} close @param {any} row @param {string} today
 * @param {(entered: Record<string, string>, reason: string, effectiveOn: string) => Promise<any>} save  the error, or null
 */
export function editDialog(close, row, today, save) {
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", placeholder: s("ref_reason_hint") }));
  const effective = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "effective_on", type: "date", value: today, min: today }));
  const general = h("div", { class: "field-msg", role: "alert" });
  const form = h("div", { class: "form-section" }, row.editable.length ? row.editable.map((/** @type {any} */ f) =>
    field(f.key, `${f.label}${f.required ? " *" : ""}`, inputOf(f))) : h("p", { class: "muted" }, s("ref_fields_none")));
  const body = h("div", { "data-testid": "edit-dialog" }, h("h2", null, `${row.name || row.key}`, row.value ? ` · ${row.value}` : ""),
    h("p", { class: "muted" }, s("ref_change_note")), form,
    field("effective_on", s("ref_effective_on"), effective, s("ref_effective_hint")),
    field("reason", s("ref_reason"), reason), general,
    h("div", { class: "actions" }, button(t("save"), async () => {
      /** @type {Record<string, string>} */
      const entered = {};
      for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input, textarea"))) entered[el.name] = el.value.trim();
      const error = reason.value.trim() ? await save(entered, reason.value.trim(), effective.value) : { message: t("reason_required") };
      if (error) showProblems(body, general, error);
      else close();
    }, { class: "btn primary", "data-testid": "edit-save" }), button(t("cancel"), close)));
  return body;
}

/**
 * A change shown to the second administrator: what it changes, who proposed it and why, from when; verify it
 * (saying what it was checked against) or withdraw / send it back.
 * @param {() => void} close @param {any} change
 * @param {{verify: (reason: string) => Promise<any>, withdraw: (reason: string) => Promise<any>}} actions  the error, or null
 */
export function changeDialog(close, change, actions) {
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", placeholder: t("verify_hint") }));
  const general = h("div", { class: "field-msg", role: "alert" });
  /** @param {(reason: string) => Promise<any>} act */
  const run = async (act) => {
    const error = reason.value.trim() ? await act(reason.value.trim()) : { message: t("reason_required") };
    if (error) showProblems(body, general, error);
    else close();
  };
  const body = h("div", { "data-testid": "change-dialog", "data-change": change.id },
    h("h2", null, `${s("ref_review_change")} · ${change.name}`), changeFacts(change), diffTable(change),
    field("reason", change.mine ? s("ref_withdraw_reason") : `${s("ref_check_reason")} / ${s("ref_withdraw_reason")}`, reason), general,
    h("div", { class: "actions" },
      change.mine ? null : button(s("ref_verify_change"), () => run(actions.verify), { class: "btn primary", "data-testid": "change-verify" }),
      button(change.mine ? s("ref_withdraw_change") : s("ref_send_back"), () => run(actions.withdraw), { class: "btn", "data-testid": "change-withdraw" }),
      button(t("cancel"), close)));
  return body;
}

/** Who proposed a change, when, why, from which date. @param {any} c @param {boolean} [withStatus] */
function changeFacts(c, withStatus = true) {
  const what = [c.table_title, c.action === "create" ? s("ref_new_row") : null, withStatus ? statusText(c) : null].filter(Boolean);
  return h("div", { class: "list-sub" }, what.length ? h("div", null, what.join(" · ")) : null,
    h("div", null, s("ref_proposed", { name: c.proposed_by_name, time: dateTime(c.proposed_at) }), "；",
      `${s("ref_effective_on")}：${c.effective_on}`),
    c.decided_by_name && c.status !== "pending" ? h("div", null, s("ref_decided", { name: c.decided_by_name, time: dateTime(c.decided_at) })) : null,
    h("div", null, `${s("ref_reason")}：${c.reason}`));
}

/** The open changes, each with its diff. @param {any[]} changes @param {(c: any) => void} open */
function changesCard(changes, open) {
  return h("section", { class: "card", "data-testid": "ref-changes" }, h("h2", null, s("ref_changes_title")),
    changes.length ? h("div", { class: "list" }, changes.map((c) => h("div", { class: "list-item", "data-change": c.id, "data-status": c.status },
      h("div", { class: "list-main" }, h("div", { class: "list-title" }, c.name, " ",
        h("span", { class: ["badge-state", c.status === "pending" ? "warn" : "state-approved"], "data-testid": "change-status" }, statusText(c))),
      changeFacts(c), diffTable(c)),
      h("div", { class: "list-side" }, c.status === "pending"
        ? (c.mine ? h("span", { class: "muted" }, s("ref_waiting_other")) : null) : null,
      c.status === "pending" ? button(c.mine ? s("ref_withdraw_change") : s("ref_review_change"), () => open(c),
        { class: "btn small", "data-testid": "change-open" }) : null)))) : h("p", { class: "muted" }, s("ref_changes_none")));
}

/** @param {any} r  a row */
function versionText(r) {
  return r.version_from ? s("ref_version_from", { n: r.version, date: r.version_from }) : s("ref_version", { n: r.version });
}

/**
 * @param {any} r @param {{edit: (row: any) => void, verify: (row: any) => void, history: (row: any) => void}} handlers
 */
function rowItem(r, handlers) {
  return h("div", { class: "list-item", "data-row": r.row_key, "data-verified": String(r.verified), "data-pending": String(r.pending) },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, r.name || r.key,
      r.pending ? h("span", { class: "tag", "data-testid": "ref-pending" }, s("ref_has_pending")) : null),
      h("div", { class: "list-sub" }, [r.value, r.source, r.effective, versionText(r), tr(`confidence_${r.confidence}`, "")]
        .filter(Boolean).join(" · "))),
    h("div", { class: "list-side" },
      h("span", { class: ["badge-state", r.verified ? "state-approved" : "warn"], "data-testid": "ref-verified" },
        r.verified ? t("verified") : t("unverified")),
      r.pending ? null : button(t("edit"), () => handlers.edit(r), { class: "btn small", "data-testid": "ref-edit" }),
      r.verified ? null : button(t("verify"), () => handlers.verify(r), { class: "btn small", "data-testid": "ref-verify" }),
      button(t("history"), () => handlers.history(r), { class: "btn small", "data-testid": "ref-history" })));
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/reference referenceModel, plus `filter`
 * @param {{edit: (row: any) => void, verify: (row: any) => void, history: (row: any) => void, filter: (text: string) => void,
 *   change: (change: any) => void}} handlers
 */
export function renderReference(root, model, handlers) {
  const text = (model.filter || "").toLowerCase();
  const rows = model.rows.filter((/** @type {any} */ r) => !text || `${r.key} ${r.name}`.toLowerCase().includes(text));
  const search = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "search", value: model.filter || "", placeholder: t("ref_filter"),
    "aria-label": t("ref_filter") }));
  search.addEventListener("change", () => handlers.filter(search.value.trim()));
  replace(root, h("div", { class: "office reference" },
    h("section", { class: "card" }, h("h2", null, t("ref_tables")), h("div", { class: "chips", "data-testid": "ref-tables" },
      model.tables.map((/** @type {any} */ table) => h("a", { class: ["chip", table.name === model.table && "active"], href: `#/admin/reference?table=${table.name}`,
        "data-table": table.name, "aria-current": table.name === model.table ? "page" : null },
      `${table.title_zh || table.name} (${table.rows}${table.unverified ? ` · ${t("unverified_n", { n: table.unverified })}` : ""}` +
      `${table.pending ? ` · ${s("ref_status_pending")} ${table.pending}` : ""})`)))),
    changesCard(model.changes, handlers.change),
    model.table ? h("section", { class: "card" }, h("h2", null, model.tables.find((/** @type {any} */ x) => x.name === model.table)?.title_zh || model.table),
      search, h("div", { class: "list", "data-testid": "ref-rows" }, rows.map((/** @type {any} */ r) => rowItem(r, handlers))))
      : h("p", { class: "muted" }, t("ref_pick"))));
}

/**
 * A reason asked for before confirming a row's values in force against the official text.
 * @param {() => void} close @param {any} row @param {(reason: string) => Promise<any>} verify  the error, or null
 */
export function verifyDialog(close, row, verify) {
  const reason = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "reason", placeholder: t("verify_hint") }));
  const general = h("div", { class: "field-msg", role: "alert" });
  const body = h("div", { "data-testid": "verify-dialog" }, h("h2", null, `${t("verify")} · ${row.name || row.key}`),
    h("p", null, [row.value, row.source, versionText(row)].filter(Boolean).join(" · ")),
    field("reason", s("ref_check_reason"), reason), general,
    h("div", { class: "actions" }, button(t("verify"), async () => {
      const error = reason.value.trim() ? await verify(reason.value.trim()) : { message: t("reason_required") };
      if (error) showProblems(body, general, error);
      else close();
    }, { class: "btn primary", "data-testid": "verify-save" }), button(t("cancel"), close)));
  return body;
}

/** @param {() => void} close @param {any} row @param {{trail: any[], versions: any[]}} history */
export function historyDialog(close, row, history) {
  const steps = { create: "ref_propose_create", update: "ref_propose_update", approve: "ref_approve", withdraw: "ref_withdraw",
    apply: "ref_apply", verify: "ref_verify_row" };
  return h("div", { "data-testid": "history-dialog" }, h("h2", null, `${t("history_title")} · ${row.name || row.key}`),
    history.versions.length ? h("div", { class: "list", "data-testid": "history-versions" }, history.versions.map((c) =>
      h("div", { class: "list-item", "data-status": c.status }, h("div", { class: "list-main" },
        h("div", { class: "list-title" }, c.status === "pending" || c.status === "withdrawn" ? statusText(c)
          : `${versionText({ version: c.number ?? "", version_from: c.in_force_from })} · ${statusText(c)}`),
        changeFacts(c, false), diffTable(c))))) : null,
    history.trail.length ? h("ol", { class: "history", "data-testid": "history-trail" }, history.trail.map((e) => h("li", { class: "history-item" },
      // A version takes effect on its date, by itself: nobody is named for that step.
      h("div", { class: "list-title" }, [dateTime(e.at), s(/** @type {any} */ (steps)[e.action] || "ref_row"),
        e.action === "apply" ? null : e.user_name].filter(Boolean).join(" · ")),
      e.reason ? h("div", { class: "list-sub" }, `${t("reason")}：${e.reason}`) : null))) : empty(),
    h("div", { class: "actions" }, button(t("done"), close, { class: "btn primary" })));
}
