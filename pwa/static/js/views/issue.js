// @ts-check
/**
 * Issuing a record's documents: what is still missing (each linking to its field), one row per document type
 * with its number and state once issued, the PDF, and how many numbers this tablet holds for offline use.
 * @module views/issue
 */
import { dateTime, label, t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { messageOf } from "./form.js";

/** A document's state as a badge: valid, amended, voided, waiting to sync, refused. @param {string} status */
export function docBadge(status) {
  const warn = ["voided", "rejected", "amended"].includes(status);
  return h("span", { class: ["badge-state", warn && "warn", status === "valid" && "state-approved",
    status === "pending" && "unsynced"], "data-status": status }, t(/** @type {any} */ (`doc_status_${status}`)));
}

/**
 * A document in a list: type, number, date, state and the PDF button.
 * @param {any} d @param {(d: any) => void} pdf
 */
export function documentRow(d, pdf) {
  const canPdf = d.status !== "pending" && d.status !== "rejected";
  return h("div", { class: "list-item doc-row", "data-document": d.id, "data-doc-type": d.doc_type, "data-number": d.number || "" },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, t(/** @type {any} */ (`doc_${d.doc_type}`)), d.number ? ` ${d.number}` : ""),
      h("div", { class: "list-sub" }, [dateTime(d.issued_at), d.offline ? t("issued_offline") : null,
        d.pdf ? t("pdf_kept") : null].filter(Boolean).join(" · ")),
      d.status === "rejected" && d.error ? h("div", { class: "warn" }, messageOf(d.error)) : null),
    h("div", { class: "list-side" }, docBadge(d.status),
      canPdf ? button("PDF", () => pdf(d), { class: "btn small", "data-testid": "document-pdf", "data-pdf": d.pdf ? "kept" : "online" }) : null));
}

/**
 * Hand a PDF to the tablet (it opens in the PDF viewer or goes to downloads).
 * @param {ArrayBuffer} bytes @param {string} filename
 */
export function savePdf(bytes, filename) {
  const link = h("a", { href: URL.createObjectURL(new Blob([bytes], { type: "application/pdf" })), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * @param {HTMLElement} root
 * @param {{problems: any[], types: {type: string, left: number, document: any, rejected: any}[], online: boolean,
 *   conflicts?: any[], amendment?: {changes: any[], originals: any[]}|null,
 *   message?: {kind: "info"|"error", text: string}|null}} model
 * @param {{issue: (type: string) => void, amend: (type: string, originalId: string) => void, pdf: (d: any) => void}} handlers
 */
export function renderIssuePanel(root, model, handlers) {
  const conflicts = model.conflicts || [];
  const blocked = model.problems.filter((p) => !p.server).length > 0 || conflicts.length > 0;
  const problem = (/** @type {any} */ i) => h("a", { class: "list-item problem", href: i.route, "data-problem-field": i.field || "" },
    h("div", { class: "list-main" }, h("div", { class: "list-title" },
      [label(i.entity_spec), i.record_label, i.field_spec ? label(i.field_spec) : null].filter(Boolean).join(" · ")),
    h("div", { class: "warn" }, messageOf(i))), h("span", { class: "btn small" }, t("go_to_field")));
  const rows = model.types.map(({ type, left, document, rejected }) => h("div", { class: "issue-type", "data-issue": type },
    h("div", { class: "row" }, h("h3", { class: "grow" }, t(/** @type {any} */ (`doc_${type}`))),
      h("span", { class: "muted", "data-testid": `numbers-left-${type}` }, t("numbers_left", { n: left }))),
    document ? h("div", { class: "list" }, documentRow(document, handlers.pdf)) : null,
    !document && rejected ? h("div", { class: "form-banner" }, t("issue_refused"), "：", messageOf(rejected.error || {})) : null,
    !document ? h("div", { class: "actions" },
      button(model.online ? t("issue_online") : t("issue_offline"), () => handlers.issue(type), { class: "btn primary big",
        disabled: blocked, "data-testid": `issue-${type}` })) : null));
  replace(root, h("div", { class: "issue-panel", "data-testid": "issue-panel" },
    model.message ? h("div", { class: ["form-banner", model.message.kind === "info" && "info"], role: "status",
      "data-testid": "issue-message" }, model.message.text) : null,
    conflicts.length ? conflictList(conflicts) : null,
    model.amendment ? amendmentPanel(model.amendment, handlers.amend) : null,
    model.problems.length ? [h("p", { class: "warn" }, t("issue_blocked", { n: model.problems.length })),
      h("div", { class: "list", "data-testid": "issue-problems" }, model.problems.map(problem))] : null,
    h("p", { class: "muted" }, model.online ? t("issue_online_note") : t("issue_offline_note")),
    rows));
}

/**
 * Open conflicts on what the documents would show: no document is issued until each is settled — here both
 * values, and where the office settles them.
 * @param {any[]} conflicts
 */
function conflictList(conflicts) {
  return h("div", { class: "form-banner", "data-testid": "issue-conflicts" },
    h("p", {}, t("issue_conflicts", { n: conflicts.length })),
    h("div", { class: "list" }, conflicts.map((c) => h("div", { class: "list-item", "data-conflict": c.id, "data-field": c.field },
      h("div", { class: "list-main" },
        h("div", { class: "list-title" }, [c.record_label, c.field_label].filter(Boolean).join(" · ")),
        h("div", { class: "list-sub", "data-testid": "conflict-values" },
          t("issue_conflict_values", { server: c.server_value, client: c.client_value })))))),
    h("p", { class: "muted" }, t("issue_conflicts_office"), " ",
      h("a", { href: "#/conflicts", "data-testid": "issue-conflicts-link" }, t("issue_conflicts_open"))));
}

/**
 * Corrections settled after issuance: each field as the issued document shows it and as settled; a 更正 of each
 * valid document supersedes it (both are kept).
 * @param {{changes: any[], originals: any[]}} amendment @param {(type: string, originalId: string) => void} amend
 */
function amendmentPanel(amendment, amend) {
  return h("div", { class: "form-banner info", "data-testid": "issue-amendment" },
    h("p", {}, t("amendment_pending")),
    h("ul", {}, amendment.changes.map((c) => h("li", { "data-field": c.field },
      t("amendment_change", { label: c.label, shown: c.shown, value: c.value })))),
    h("div", { class: "actions" }, amendment.originals.map((d) => button(
      t("amendment_issue", { doc: t(/** @type {any} */ (`doc_${d.doc_type}`)), number: d.number }),
      () => amend(d.doc_type, d.id), { class: "btn primary", "data-testid": `amend-${d.doc_type}` }))));
}

/**
 * A step with the issue panel above the previews of what will be issued; returns both places.
 * @param {HTMLElement} root @returns {{panel: HTMLElement, preview: HTMLElement}}
 */
export function renderIssueStep(root) {
  const panel = h("section", { class: "card" });
  const preview = h("div", { class: "issue-previews" });
  replace(root, h("div", { class: "issue-step" }, panel, preview));
  return { panel, preview };
}
