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
 *   message?: {kind: "info"|"error", text: string}|null}} model
 * @param {{issue: (type: string) => void, pdf: (d: any) => void}} handlers
 */
export function renderIssuePanel(root, model, handlers) {
  const blocked = model.problems.filter((p) => !p.server).length > 0;
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
    blocked ? [h("p", { class: "warn" }, t("issue_blocked", { n: model.problems.length })),
      h("div", { class: "list", "data-testid": "issue-problems" }, model.problems.map(problem))] : null,
    h("p", { class: "muted" }, model.online ? t("issue_online_note") : t("issue_offline_note")),
    rows));
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
