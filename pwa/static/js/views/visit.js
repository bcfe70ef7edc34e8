// @ts-check
/**
 * The sampling visit's frame (header strip, the monitoring chain's step when online, steps), its sample and noise
 * lists, and 送检: the samples handed to the laboratory with their condition and the sampler's signature.
 * @module views/visit
 */
import { dateTime, lang, number, t, time } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty, stateBadge } from "./common.js";
import { lifecycleBar } from "./lifecycle.js";
import { messageOf } from "./form.js";

const STEPS = ["header", "samples", "noise", "evaluation", "print", "submit", "handover"];

/**
 * Draw the frame; returns the element the step's content goes into. `model.lifecycle`, when given, is the
 * monitoring chain's state read from the server (online); it is drawn when it arrives, never waited for.
 * @param {HTMLElement} root @param {any} model  controllers/visit visitModel @param {string} step
 */
export function renderVisitFrame(root, model, step) {
  const v = model.visit;
  const tabs = STEPS.map((key, i) => h("a", { class: ["step", key === step && "active"], href: `#/visit/${v.id}/${key}`,
    "data-step": key, "aria-current": key === step ? "step" : null }, h("span", { class: "step-no" }, String(i + 1)),
  t(/** @type {any} */ (`visit_steps_${key}`)),
  key === "samples" ? h("small", null, ` ${model.samples.length}`) : null,
  key === "noise" && model.noise.length ? h("small", null, ` ${model.noise.length}`) : null));
  const content = h("div", { class: "step-content" });
  const lifecycle = h("div", { "data-testid": "visit-lifecycle" });
  replace(root, h("div", { class: "visit" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, v.data.task_no || t("sampling_title")),
        h("div", { class: "muted" }, [model.enterprise?.name || t("unknown_enterprise"), v.data.sampling_date].filter(Boolean).join(" · "))),
      h("div", { class: "list-side" }, stateBadge(model.state),
        model.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)),
    model.comment ? h("div", { class: "form-banner attention", "data-testid": "review-comment" },
      h("b", null, t("returned_by_supervisor")), h("div", null, `${t("review_comment")}：${model.comment}`)) : null,
    model.problems.length && model.state !== "submit_rejected" ? h("div", { class: "form-banner" }, t("server_rejected"), "：",
      model.problems.map((/** @type {any} */ p) => messageOf(p)).join("；")) : null,
    lifecycle, h("nav", { class: "steps" }, tabs), content));
  model.lifecycle?.then((/** @type {any} */ state) => { if (state) replace(lifecycle, lifecycleBar(state)); });
  return content;
}

/** A line of codes (缺少 2：A、B), red when `alarm`. @param {string} label @param {string[]} codes @param {boolean} alarm @param {string} testid */
function codesLine(label, codes, alarm, testid) {
  return h("div", { class: alarm && codes.length ? "warn" : null, "data-testid": testid, "data-n": String(codes.length) },
    `${label} ${codes.length}`, codes.length ? "：" : "", codes.map((code) => h("span", { class: ["tag", alarm && "badge-state warn"],
      "data-code": code }, code)));
}

/**
 * One handover: who handed what over and in which condition, and what the laboratory found when it received it.
 * @param {any} handover  as the server returns it @param {{pdf?: (handover: any) => void}} handlers
 */
export function handoverCard(handover, handlers) {
  const receipt = handover.receipt || {};
  return h("section", { class: "card", "data-testid": "handover", "data-handover": handover.id,
    "data-received": String(Boolean(handover.received_at)) },
  h("div", { class: "row" }, h("h2", { class: "grow" }, t("handover_list")),
    handover.received_at ? h("span", { class: "badge-state state-approved" }, t("handover_received"))
      : h("span", { class: "badge-state state-submitted" }, t("handover_waiting")),
    handlers.pdf ? button(t("handover_pdf"), () => handlers.pdf?.(handover), { class: "btn small", "data-testid": "handover-pdf" }) : null),
  h("p", { class: "muted" }, t("handover_by", { name: handover.handed_by_name || "—", time: dateTime(handover.handed_at) })),
  h("div", { class: "row", "data-testid": "handover-items" }, handover.items.map((/** @type {any} */ item) =>
    h("span", { class: ["tag", item.condition !== "intact" && "warn"], "data-code": item.sample_code },
      `${item.sample_code} · ${lang() === "en" ? t(/** @type {any} */ (`cond_${item.condition}`)) : item.condition_zh}`))),
  handover.received_at ? h("div", { class: "receipt", "data-testid": "receipt", style: { marginTop: "10px" } },
    h("p", null, t("received_by", { name: handover.received_by_name || "—", time: dateTime(handover.received_at) })),
    codesLine(t("receipt_received"), receipt.received || [], false, "receipt-received"),
    codesLine(t("receipt_missing"), receipt.missing || [], true, "receipt-missing"),
    codesLine(t("receipt_extra"), receipt.extra || [], true, "receipt-extra"),
    codesLine(t("receipt_damaged"), receipt.damaged || [], true, "receipt-damaged")) : null);
}

const CONDITIONS = ["intact", "damaged", "leaking", "unsealed"];

/**
 * 送检 (online): the samples the laboratory analyses, each with its condition, the sampler's signature, then the
 * handover; earlier handovers with what the laboratory found. Offline it says why it cannot be done here.
 * @param {HTMLElement} root @param {any} model  controllers/visit handoverModel
 * @param {{sign: () => Promise<boolean>, redraw: () => void, handOver: (conditions: Record<string, string>) => Promise<void>, pdf: (handover: any) => void}} handlers
 */
export function renderHandover(root, model, handlers) {
  if (!model.server) {
    replace(root, h("div", { class: "form-banner attention", "data-testid": "handover-unavailable" },
      t(model.notOnServer ? "handover_not_synced" : "handover_offline")));
    return;
  }
  const selects = model.samples.map((/** @type {any} */ s) => /** @type {HTMLSelectElement} */ (h("select", {
    class: "input", name: s.sample_code, "aria-label": `${s.sample_code} ${t("handover_condition")}`, "data-testid": "handover-condition" },
  CONDITIONS.map((c) => h("option", { value: c }, t(/** @type {any} */ (`cond_${c}`)))))));
  const signed = model.signed
    ? h("span", { class: "badge-state state-approved", "data-testid": "handover-signed", "data-signed": "1", style: { alignSelf: "center" } },
      t("handover_signed"))
    : h("span", { class: "muted", "data-testid": "handover-signed", style: { alignSelf: "center" } }, t("handover_unsigned"));
  const message = h("div", { class: "field-msg", role: "alert" });
  const submit = /** @type {HTMLButtonElement} */ (button(t("handover_submit"), async () => {
    if (signed.dataset.signed !== "1") {
      replace(message, t("handover_sign_needed"));
      return;
    }
    submit.disabled = true;
    try {
      await handlers.handOver(Object.fromEntries(selects.map((/** @type {HTMLSelectElement} */ el) => [el.name, el.value])));
    } finally {
      submit.disabled = false;
    }
  }, { class: "btn primary big", "data-testid": "handover-submit", disabled: model.unsynced }));
  const form = model.canHandOver ? h("section", { class: "card", "data-testid": "handover-form" },
    h("h2", null, t("handover_title")),
    model.unsynced ? h("div", { class: "form-banner attention" }, t("handover_unsynced")) : null,
    h("p", { class: "muted" }, t("handover_samples", { n: model.samples.length })),
    h("div", { class: "list" }, model.samples.map((/** @type {any} */ s, /** @type {number} */ i) => h("div", {
      class: "list-item", "data-sample": s.sample_code },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, s.sample_code),
      h("div", { class: "list-sub" }, [s.sample_type_zh, s.hazard_zh, s.collector_zh].filter(Boolean).join(" · "))),
    h("div", { style: { minWidth: "10em" } }, selects[i])))),
    h("div", { class: "actions" }, button(t("handover_sign"), async () => {
      if (await handlers.sign()) {
        if (!signed.isConnected) {
          handlers.redraw();
          return;
        }
        signed.dataset.signed = "1";
        signed.className = "badge-state state-approved";
        replace(signed, t("handover_signed"));
        replace(message);
      }
    }, { class: "btn big", "data-testid": "handover-sign" }), signed, submit), message)
    : model.samples.length ? null : h("p", { class: "empty" }, t("handover_none"));
  replace(root, h("div", { class: "handover-step", "data-testid": "handover-step" }, form,
    model.server.handovers.map((/** @type {any} */ handover) => handoverCard(handover, handlers))));
}

/**
 * @param {HTMLElement} root @param {any} model
 * @param {{add: (kind: "field"|"blank"|"copy") => void}} handlers
 */
export function renderSampleList(root, model, handlers) {
  const blanks = model.samples.filter((/** @type {any} */ s) => s.blank).length;
  const rows = model.samples.map((/** @type {any} */ s) => h("a", { class: ["list-item", s.blank && "blank"],
    href: `#/visit/${model.visit.id}/sample/${s.id}`, "data-sample": s.code },
  h("div", { class: "list-main" },
    h("div", { class: "list-title" }, h("span", { class: "kind" }, s.blank ? t("blank") : t("sample")), s.code,
      s.hazard ? ` · ${lang() === "en" ? s.hazard.en : s.hazard.zh}` : ""),
    h("div", { class: "list-sub" }, [s.post, s.start ? `${time(s.start)}–${time(s.end)}` : null,
      s.volume != null ? `V=${number(s.volume, 1)} L` : null,
      s.standard_volume != null ? `V₀=${number(s.standard_volume, 1)} L` : null,
      s.lab != null ? `${number(s.lab)} mg/m³` : null].filter(Boolean).join(" · "))),
  h("div", { class: "list-side" }, s.problems ? h("span", { class: "badge-state warn" }, "!") : null,
    s.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null)));
  replace(root, h("div", { class: "samples" },
    h("div", { class: "muted" }, t("samples_n", { n: model.samples.length, b: blanks })),
    rows.length ? h("div", { class: "list" }, rows) : empty(t("no_samples")),
    model.editable ? h("div", { class: "actions sticky" },
      button(t("add_field_sample"), () => handlers.add("field"), { class: "btn primary big", "data-testid": "add-sample" }),
      model.samples.length ? button(t("copy_previous"), () => handlers.add("copy"), { class: "btn big", "data-testid": "copy-sample" }) : null,
      button(t("add_blank"), () => handlers.add("blank"), { class: "btn big", "data-testid": "add-blank" })) : null));
}

/** @param {HTMLElement} root @param {any} model @param {{add: () => void}} handlers */
export function renderNoiseList(root, model, handlers) {
  const rows = model.noise.map((/** @type {any} */ n) => h("a", { class: "list-item", href: `#/visit/${model.visit.id}/noise/${n.id}` },
    h("div", { class: "list-main" }, h("div", { class: "list-title" }, n.post), h("div", { class: "list-sub" }, n.point)),
    n.unsynced ? h("span", { class: "badge-state unsynced" }, t("unsynced")) : null));
  replace(root, h("div", null, h("div", { class: "muted" }, t("noise_n", { n: model.noise.length })),
    rows.length ? h("div", { class: "list" }, rows) : empty(t("no_noise")),
    model.editable ? h("div", { class: "actions sticky" },
      button(t("add_noise"), handlers.add, { class: "btn primary big", "data-testid": "add-noise" })) : null));
}

/**
 * The bar above a sample's or a measurement's form: back, previous, next, delete.
 * @param {HTMLElement} root
 * @param {{title: string, back: string, prev: string|null, next: string|null, editable: boolean}} model
 * @param {{remove: () => void}} handlers
 * @returns {HTMLElement} where the form goes
 */
export function renderChildFrame(root, model, handlers) {
  const formEl = h("div", { class: "child-form" });
  const link = (/** @type {string|null} */ href, /** @type {string} */ text, /** @type {string} */ testid) => href
    ? h("a", { class: "btn", href, "data-testid": testid }, text) : h("span", { class: "btn", "aria-disabled": "true" }, text);
  replace(root, h("div", { class: "child" },
    h("div", { class: "child-bar" }, link(model.back, `← ${t("back_to_list")}`, "child-back"),
      h("b", { class: "child-title" }, model.title),
      link(model.prev, t("previous"), "child-prev"), link(model.next, t("next"), "child-next"),
      model.editable ? button(t("delete"), () => { if (confirm(t("confirm_delete"))) handlers.remove(); }, { class: "btn danger" }) : null),
    formEl,
    h("div", { class: "actions" }, link(model.back, `← ${t("back_to_list")}`, "child-back-bottom"),
      link(model.next, `${t("next")} →`, "child-next-bottom"))));
  return formEl;
}

