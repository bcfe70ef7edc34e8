// @ts-check
/**
 * The laboratory's screens: the work list of sampling visits by lifecycle state, and one visit — its step of the
 * chain, the handovers with the 接收 panel (a hand scanner types the label's code and Enter; a code can be typed; a
 * camera reads the QR where the browser has BarcodeDetector), the samples with their result forms and the QC.
 * @module views/lab
 */
import { t } from "../i18n.js";
import { button, h, replace } from "./dom.js";
import { empty } from "./common.js";
import { pager, tabs } from "./office.js";
import { qcCard, resultSection } from "./lab_results.js";
import { lifecycleBadge, lifecycleBar } from "./lifecycle.js";
import { handoverCard } from "./visit.js";

/** @param {string} key */
const tabLabel = (key) => t(/** @type {any} */ (key === "work" ? "lab_tab_work" : key === "all" ? "lab_tab_all" : `step_${key}`));

/** @param {any} item */
function visitRow(item) {
  return h("a", { class: "list-item", href: `#/lab/${item.visit_id}`, "data-visit": item.visit_id, "data-state": item.state.key },
    h("div", { class: "list-main" },
      h("div", { class: "list-title" }, [item.task_no, item.enterprise_name].filter(Boolean).join(" · ") || "—"),
      h("div", { class: "list-sub" }, item.sampling_date ? t("lab_sampling_date", { date: item.sampling_date }) : "")),
    h("div", { class: "list-side" },
      lifecycleBadge(item.state),
      h("span", { class: "tag", "data-testid": "lab-count", "data-entered": String(item.results_entered),
        "data-total": String(item.samples_for_lab) }, t("lab_results_n", { n: item.results_entered, m: item.samples_for_lab }))));
}

/**
 * @param {HTMLElement} root
 * @param {{filters: {tab: string, page: number}, list: any, tabs: {key: string, href: string}[]}} model
 * @param {{page: (page: number) => void}} handlers
 */
export function renderLabList(root, model, handlers) {
  const list = model.list;
  replace(root, h("div", { class: "office lab-list", "data-testid": "lab-list", "data-tab": model.filters.tab },
    tabs(model.tabs.map((tab) => ({ ...tab, label: tabLabel(tab.key) })), model.filters.tab),
    h("section", { class: "card" },
      h("div", { class: "row" }, h("h2", { class: "grow" }, tabLabel(model.filters.tab)),
        h("span", { class: "muted", "data-testid": "lab-total" }, t("lab_total", { n: list.total }))),
      list.items.length ? h("div", { class: "list", "data-testid": "lab-visits" }, list.items.map(visitRow)) : empty(t("lab_empty")),
      pager(list, handlers.page))));
}

/**
 * @typedef {{codeOf: (text: string) => string, receive: (handover: any, codes: string[], damaged: string[]) => Promise<void>,
 *   sign: () => Promise<boolean>, camera: (onCode: (text: string) => void) => void, pdf: (handover: any) => void,
 *   save: (sample: any, kind: string, raw: Record<string, string|boolean>) => Promise<any>,
 *   national: (day: string) => Promise<void>, issueReport: (amends: string|null) => Promise<void>,
 *   reportPdf: (report: any) => Promise<void>}} LabHandlers
 */

/**
 * The 接收 panel of a handover not yet received: codes arrive one by one (scanner, keyboard, camera), each marked on
 * the list or not (red), with a 破损 box; 确认接收 sends them all.
 * @param {any} handover @param {LabHandlers} handlers
 */
function receiptPanel(handover, handlers) {
  const listed = new Set(handover.items.map((/** @type {any} */ i) => i.sample_code));
  /** @type {{code: string, damaged: boolean}[]} */
  const scanned = [];
  const input = /** @type {HTMLInputElement} */ (h("input", { class: "input", name: "code", autocomplete: "off", autocapitalize: "off",
    spellcheck: false, "aria-label": t("lab_scan_label"), placeholder: t("lab_scan_hint"), "data-testid": "scan-input" }));
  const note = h("div", { class: "field-msg", role: "status", "data-testid": "scan-note" });
  const count = h("p", { "data-testid": "scan-count" });
  const rows = h("div", { class: "list", "data-testid": "scanned" });
  const signed = h("span", { class: "muted", style: { alignSelf: "center" } });
  const submit = /** @type {HTMLButtonElement} */ (button(t("lab_receive_submit"), async () => {
    if (input.value.trim()) {
      add(input.value); // typed but Enter not pressed: it counts
      input.value = "";
    }
    if (!scanned.length) {
      replace(note, t("lab_receive_none"));
      return;
    }
    submit.disabled = true;
    try {
      await handlers.receive(handover, scanned.map((s) => s.code), scanned.filter((s) => s.damaged).map((s) => s.code));
    } finally {
      submit.disabled = false;
    }
  }, { class: "btn primary big", "data-testid": "receive-submit" }));

  const draw = () => {
    replace(count, t("lab_scanned_n", { n: scanned.filter((s) => listed.has(s.code)).length, m: listed.size }),
      scanned.some((s) => !listed.has(s.code)) ? h("span", { class: "warn" }, ` · ${t("lab_extra_n", {
        n: scanned.filter((s) => !listed.has(s.code)).length })}`) : null);
    replace(rows, scanned.map((entry, index) => {
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", checked: entry.damaged, style: { width: "48px", height: "48px" },
        "data-testid": "scan-damaged", onchange: () => { entry.damaged = box.checked; } }));
      const on = listed.has(entry.code);
      return h("div", { class: "list-item", "data-code": entry.code, "data-listed": String(on) },
        h("div", { class: "list-main" }, h("div", { class: "list-title mono" }, entry.code),
          h("div", { class: on ? "list-sub" : "warn" }, t(on ? "lab_on_list" : "lab_not_on_list"))),
        h("label", { class: "row" }, box, t("lab_damaged")),
        button(t("lab_remove"), () => { scanned.splice(index, 1); draw(); }, { class: "btn small", "data-testid": "scan-remove" }));
    }));
  };
  const add = (/** @type {string} */ text) => {
    const code = handlers.codeOf(text);
    if (!code) return;
    if (scanned.some((s) => s.code === code)) replace(note, t("lab_duplicate", { code }));
    else {
      scanned.push({ code, damaged: false });
      replace(note);
      draw();
    }
  };
  // A hand scanner types the code and presses Enter: the form's submit takes it, and the field is ready for the next.
  const form = h("form", { class: "row", "data-testid": "scan-form" }, h("div", { class: "grow", style: { minWidth: "14em" } }, input),
    h("button", { type: "submit", class: "btn" }, t("lab_add_code")),
    "BarcodeDetector" in window ? button(t("lab_camera"), () => handlers.camera(add), { "data-testid": "scan-camera" }) : null);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    add(input.value);
    input.value = "";
    input.focus();
  });
  draw();
  return h("section", { class: "card", "data-testid": "receipt-panel", "data-handover": handover.id },
    h("h2", null, t("lab_receive_title")), h("div", { class: "field" }, h("div", { class: "field-label" }, t("lab_scan_label")), form, note),
    count, rows,
    h("div", { class: "actions" }, button(t("lab_receive_sign"), async () => {
      if (await handlers.sign()) {
        signed.className = "badge-state state-approved";
        replace(signed, t("handover_signed"));
      }
    }, { class: "btn" }), signed, submit));
}

/**
 * The camera reading labels' QR codes (BarcodeDetector), each code handed to `onCode` as it is read, until closed.
 * @param {() => void} close @param {(text: string) => void} onCode
 */
export function cameraDialog(close, onCode) {
  const video = /** @type {HTMLVideoElement} */ (h("video", { playsInline: true, muted: true,
    style: { width: "100%", maxHeight: "60vh", background: "#000" } }));
  const status = h("p", { class: "muted", role: "status" }, t("lab_camera_hint"));
  /** @type {MediaStream|null} */
  let stream = null;
  let stopped = false;
  const stop = () => {
    stopped = true;
    stream?.getTracks().forEach((track) => track.stop());
    close();
  };
  window.addEventListener("hashchange", stop, { once: true });
  (async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      if (stopped) return stream.getTracks().forEach((track) => track.stop());
      video.srcObject = stream;
      await video.play();
      const detector = new (/** @type {any} */ (window).BarcodeDetector)({ formats: ["qr_code"] });
      let last = "";
      const tick = async () => {
        if (stopped) return;
        for (const found of await detector.detect(video).catch(() => [])) {
          if (found.rawValue && found.rawValue !== last) {
            last = found.rawValue;
            onCode(found.rawValue);
            replace(status, t("lab_camera_got"));
          }
        }
        setTimeout(tick, 250);
      };
      tick();
    } catch (error) {
      replace(status, h("span", { class: "warn" }, t("lab_camera_failed", { message: /** @type {any} */ (error)?.message || error })));
    }
  })();
  return h("div", { "data-testid": "camera-dialog" }, h("h2", null, t("lab_camera")), video, status,
    h("div", { class: "actions" }, button(t("done"), stop, { class: "btn primary" })));
}

/** @param {any} model  controllers/lab visitModel */
function headCard(model) {
  const v = model.visit;
  return h("section", { class: "card", "data-testid": "lab-head" },
    h("div", { class: "record-head" },
      h("div", null, h("div", { class: "record-title" }, [v.task_no, v.enterprise_name].filter(Boolean).join(" · ")),
        h("div", { class: "muted" }, v.sampling_date ? t("lab_sampling_date", { date: v.sampling_date }) : "")),
      h("div", { class: "list-side" }, h("span", { class: "tag", "data-testid": "lab-entered", "data-entered": String(model.entered) },
        t("lab_results_n", { n: model.entered, m: model.forLab })))),
    lifecycleBar(v.state),
    v.national_entry ? h("p", { "data-testid": "national-entry" }, t("lab_national_entered",
      { date: v.national_entry.entered_on, name: v.national_entry.entered_by_name || "—" })) : null,
    model.supervisor ? h("a", { class: "btn small", href: `#/review/record/${v.visit_id}` }, t("lab_open_review")) : null);
}

/** The 检测报告: issued by the supervisor once the visit is approved; then its number and PDF.
 * @param {any} model @param {LabHandlers} handlers */
function reportCard(model, handlers) {
  const report = model.visit.report;
  if (!report && !model.reportable) return null;
  if (report && !model.supervisorOfAgency) return null;
  return h("section", { class: "card", "data-testid": "report-panel" }, h("h2", null, t("lab_report_title")),
    report ? h("p", { "data-testid": "report-number" }, t("lab_report_issued", { number: report.number }),
      " ", button(t("lab_report_pdf"), () => handlers.reportPdf(report), { class: "btn small" })) : null,
    report && model.corrections ? h("div", { class: "form-banner attention", "data-testid": "report-corrections" },
      h("p", null, t("lab_report_corrections", { n: model.corrections })),
      button(t("lab_report_amend"), () => handlers.issueReport(report.id), { class: "btn primary", "data-testid": "report-amend" }))
      : null,
    !report ? h("div", null, h("p", { class: "muted" }, t("lab_report_note")),
        h("div", { class: "actions" }, button(t("lab_report_issue"), () => handlers.issueReport(null),
          { class: "btn primary", "data-testid": "report-issue" }))) : null);
}

/** The supervisor records the day the results went into the national system. @param {any} model @param {LabHandlers} handlers */
function nationalCard(model, handlers) {
  const day = /** @type {HTMLInputElement} */ (h("input", { class: "input", type: "date", name: "entered_on", value: model.today,
    max: model.today, "data-testid": "national-date" }));
  return h("section", { class: "card", "data-testid": "national-panel" }, h("h2", null, t("lab_national_title")),
    h("label", { class: "field" }, h("div", { class: "field-label" }, t("lab_national_date")), day),
    h("div", { class: "actions" }, button(t("lab_national_submit"), () => handlers.national(day.value),
      { class: "btn primary", "data-testid": "national-submit" })));
}

/**
 * One visit for the laboratory; `update` redraws its head and QC after a result was saved (the forms keep what
 * is typed in them).
 * @param {HTMLElement} root @param {any} model  controllers/lab visitModel @param {LabHandlers} handlers
 */
export function renderLabVisit(root, model, handlers) {
  const head = h("div", null, headCard(model));
  const qc = h("div", null, qcCard(model));
  const handovers = model.visit.handovers.map((/** @type {any} */ handover) => [handoverCard(handover, { pdf: handlers.pdf }),
    !handover.received_at && model.lab ? receiptPanel(handover, handlers) : null]);
  replace(root, h("div", { class: "office lab-visit", "data-testid": "lab-visit", "data-visit": model.visit.visit_id }, head,
    model.supervisor ? reportCard(model, handlers) : null,
    model.nationalEntry ? nationalCard(model, handlers) : null,
    handovers.length ? handovers : h("section", { class: "card" }, empty(t("lab_not_handed_over"))),
    resultSection(model, handlers), qc));
  return {
    /** @param {any} next */
    update(next) {
      replace(head, headCard(next));
      replace(qc, qcCard(next));
    },
  };
}
