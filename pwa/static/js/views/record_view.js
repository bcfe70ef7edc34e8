// @ts-check
/**
 * One record as the supervisor reviews it: its facts and status, the answers by the form's sections, the
 * children (samples, findings…), the photos and signatures, the evaluation with the limits used, the issued
 * documents, open conflicts, and the history of who changed what from which device.
 * @module views/record_view
 */
import { dateTime, t } from "../i18n.js";
import { blobUrl, button, h, replace } from "./dom.js";
import { card, empty, kindOf, stateBadge } from "./common.js";
import { renderEvaluation } from "./evaluation.js";
import { lifecycleBar } from "./lifecycle.js";
import { fact, tr } from "./office.js";

/** @param {{id: string, section: string, label: string, value: string|null}[]} answers */
function answerList(answers) {
  const sections = new Map();
  for (const a of answers) {
    if (!sections.has(a.section)) sections.set(a.section, []);
    sections.get(a.section).push(a);
  }
  return [...sections].map(([section, items]) => h("div", { class: "answer-section" }, section ? h("h3", null, section) : null,
    h("dl", { class: "kvs" }, items.map((/** @type {any} */ a) => h("div", { class: "kv", "data-answer": a.id },
      h("dt", null, a.label), h("dd", null, a.value ?? h("span", { class: "muted" }, "—")))))));
}

/** @param {any} photo @param {Map<string, ArrayBuffer|null>} thumbs */
function photoFigure(photo, thumbs) {
  const bytes = thumbs.get(photo.sha256);
  const url = bytes ? blobUrl(bytes, "image/jpeg") : null;
  return h("figure", { class: "thumb", "data-photo": photo.sha256 },
    url ? h("img", { src: url, alt: photo.field }) : h("div", { class: "thumb-placeholder" }, "⌛"),
    h("figcaption", null, [photo.owner, photo.field].filter(Boolean).join(" · "), url ? null : ` ${t("photo_waiting")}`));
}

/** @param {any} change */
function historyRow(change) {
  return h("li", { class: "history-item", "data-op": change.op },
    h("div", { class: "list-title" }, `${dateTime(change.at)} · ${change.user} · `, tr(`op_${change.op}`, change.op),
      change.target ? ` · ${change.target}` : ""),
    h("div", { class: "list-sub" }, [change.device_id ? `${t("device")} ${String(change.device_id).slice(0, 8)}` : t("device_server"),
      change.device_time ? `${t("device_time")} ${dateTime(change.device_time)}` : null].filter(Boolean).join(" · ")),
    change.fields.length ? h("div", { class: "history-fields" }, change.fields.slice(0, 12).map((/** @type {any} */ f) =>
      h("span", { class: "tag" }, `${f.label}：${f.value ?? t("empty_value")}`)),
    change.fields.length > 12 ? h("span", { class: "muted" }, t("more_n", { n: change.fields.length - 12 })) : null) : null);
}

/**
 * @param {HTMLElement} root @param {any} model  controllers/review recordModel, plus `thumbs` (sha256 → bytes)
 * @param {{pdf: (d: any) => void, panel: HTMLElement|null, refreshEvaluation: () => void}} handlers
 */
export function renderRecordView(root, model, handlers) {
  const r = model.record;
  const evaluation = h("div");
  if (model.evaluation) {
    renderEvaluation(evaluation, { mode: "stored", evaluation: model.evaluation, model: { samples: [] }, names: model.hazardNames,
      details: [] }, { refresh: handlers.refreshEvaluation });
  }
  replace(root, h("div", { class: "office record-view", "data-record": r.id, "data-status": r.review_status || "" },
    h("section", { class: "card" },
      h("div", { class: "record-head" }, h("div", null, h("div", { class: "record-title" }, h("span", { class: "kind" }, kindOf(r.entity) || r.entity),
        model.title || "—"), h("div", { class: "muted" }, r.record_date || "")),
      h("div", { class: "list-side" }, h("span", { "data-testid": "record-status" }, stateBadge(r.review_status || "draft")),
        r.locked ? h("span", { class: "badge-state", "data-testid": "record-locked" }, t("locked")) : null,
        r.conflict_open || model.conflicts.length ? h("a", { class: "badge-state warn", href: "#/review/conflicts" }, t("has_conflict")) : null)),
      lifecycleBar(r.monitoring_state),
      h("dl", { class: "kvs" }, fact(t("author"), r.author), fact(t("filter_team"), r.team),
        fact(t("form_version"), r.form_id ? t("form_version_of", { title: model.formTitle || t("kind_record"), n: r.form_version }) : null),
        fact(t("received_at"), dateTime(r.created_at)), fact(t("updated_at"), dateTime(r.updated_at))),
      r.review_comment ? h("div", { class: "comment", "data-testid": "record-comment" }, `${t("review_comment")}：${r.review_comment}`) : null,
      model.amendment?.length ? h("div", { class: "form-banner info", "data-testid": "record-amendment" },
        h("p", null, t("amendment_waiting")),
        h("ul", null, model.amendment.map((/** @type {any} */ c) => h("li", { "data-field": c.field },
          t("amendment_line", { label: c.label, shown: c.shown, value: c.value }))))) : null),
    handlers.panel,
    card(t("answers"), [model.def ? null : h("p", { class: "muted" }, t("form_not_here")), answerList(model.answers)],
      { "data-testid": "record-answers" }),
    model.children.length ? card(t("children_n", { n: model.children.length }), model.children.map((/** @type {any} */ c) =>
      h("details", { class: "child", "data-child": c.id, "data-entity": c.entity },
        h("summary", null, h("b", null, c.kind), " ", c.title), answerList(c.answers))), { "data-testid": "record-children" }) : null,
    card(t("photos_signatures"), [model.photos.length ? h("div", { class: "thumbs" },
      model.photos.map((/** @type {any} */ p) => photoFigure(p, model.thumbs))) : empty()], { "data-testid": "record-photos" }),
    model.evaluation || model.evaluationProblem ? card(t("visit_steps_evaluation"), [model.evaluationProblem
      ? h("div", { class: "form-banner" }, model.evaluationProblem.message_zh || t("eval_failed")) : evaluation],
    { "data-testid": "record-evaluation" }) : null,
    card(t("documents"), [model.documents.length ? h("div", { class: "list" }, model.documents.map((/** @type {any} */ d) =>
      h("div", { class: "list-item", "data-document": d.id },
        h("div", { class: "list-main" }, h("div", { class: "list-title" }, t(/** @type {any} */ (`doc_${d.doc_type}`)), " ", d.number),
          h("div", { class: "list-sub" }, [dateTime(d.issued_at), d.offline ? t("issued_offline") : null].filter(Boolean).join(" · "))),
        button("PDF", () => handlers.pdf(d), { class: "btn small" })))) : empty(t("documents_none"))]),
    model.conflicts.length ? card(t("open_conflicts"), [h("p", null, t("record_conflicts", { n: model.conflicts.length }), " ",
      h("a", { class: "btn small", href: "#/review/conflicts" }, t("resolve")))], { class: "card attention" }) : null,
    card(t("history_title"), [h("ol", { class: "history", "data-testid": "record-history" }, model.history.slice().reverse().map(historyRow))])));
}
