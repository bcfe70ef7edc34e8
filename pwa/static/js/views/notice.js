// @ts-check
/**
 * Previews of enforcement documents, laid out like the server's templates (卫生监督意见书, 现场笔录,
 * 复查意见书) and marked "预览，非正式文书" on screen and on paper. Printing prints the sheet alone.
 * @module views/notice
 */
import { t } from "../i18n.js";
import { INTRO, numberLine } from "../notice.js";
import { blobUrl, button, h } from "./dom.js";

const TITLES = { supervision_opinion: "卫生监督意见书", onsite_record: "现场笔录", reinspection_opinion: "复查意见书" };
const WATERMARK = "预览，非正式文书";

/** @param {any} value */
const dash = (value) => (value == null || value === "" ? "—" : value);

/** @param {any} image  an attachment item with its thumbnail @param {string} alt */
function sig(image, alt) {
  const url = image ? blobUrl(image.thumb, image.thumb_mime || "image/png") : null;
  return url ? h("img", { class: "sig", src: url, alt }) : h("span", { class: "sig-blank" });
}

/** @param {any} m @param {string} label */
function partyTable(m, label) {
  return h("table", { class: "paper-fields" },
    h("tr", null, h("th", null, label), h("td", { colspan: 3 }, m.party.name)),
    h("tr", null, h("th", null, "统一社会信用代码"), h("td", { colspan: 3 }, dash(m.party.credit_code))),
    h("tr", null, h("th", null, "地址"), h("td", { colspan: 3 }, dash(m.party.address))),
    h("tr", null, h("th", null, "法定代表人（负责人）"), h("td", null, dash(m.party.legal_representative)),
      h("th", null, "联系人及电话"), h("td", null, `${dash(m.party.contact_name)}　${dash(m.party.contact_phone)}`)));
}

/** @param {any} m @param {string} heading */
function photos(m, heading) {
  if (!m.photos.length) return null;
  return h("section", { class: "paper-photos" }, h("h2", null, `${heading}（共 ${m.photos.length} 张）`),
    h("div", { class: "paper-photo-grid" }, m.photos.map((/** @type {any} */ p, /** @type {number} */ i) => h("figure", null,
      p.thumb ? h("img", { src: blobUrl(p.thumb, p.thumb_mime || "image/jpeg"), alt: "" }) : h("div", { class: "thumb-placeholder" }, "✓"),
      h("figcaption", null, `${i + 1}. ${p.caption || ""}`)))));
}

/** @param {any} m */
function officers(m, label = "执法人员") {
  return h("table", { class: "paper-plain" }, m.officers.map((/** @type {any} */ o, /** @type {number} */ i) => h("tr", null,
    h("td", { class: "paper-label" }, i === 0 ? `${label}：` : ""),
    h("td", null, `${o.name}（执法证号：${o.cert_no || "　　　　"}）`), h("td", null, sig(m.signatures.officers[i], "签名")))));
}

/** @param {any} m @param {string} label @param {string} dateLabel */
function receipt(m, label, dateLabel = "签收日期") {
  const r = m.party_rep;
  return h("div", { class: "paper-receipt" },
    r.refused ? [h("p", { class: "refused" }, `${label}拒绝签名，已由执法人员在文书上注明。`),
      r.witness ? h("p", { "data-testid": "preview-witness" }, `见证人：${r.witness}　`, sig(m.signatures.witness, "见证人签名")) : null]
      : h("p", null, `${label}签名：`, sig(m.signatures.party, "签名"), `　${r.name}${r.title ? `（${r.title}）` : ""}`),
    h("p", null, `${dateLabel}：${m.signed_on || "　　年　　月　　日"}`));
}

/** @param {any} m */
function seal(m) {
  return h("div", { class: "paper-seal" }, h("div", null, `${m.agency || "（执法机关）"}（印章）`), h("div", null, m.signed_on));
}

/** The sheet: head with agency, title and number, the body, the watermark. @param {any} m @param {any[]} body */
function sheet(m, body) {
  const title = /** @type {any} */ (TITLES)[m.doc_type];
  return h("article", { class: "paper", "data-doc": m.doc_type, "data-number": m.number || "" },
    h("div", { class: "paper-watermark", "aria-hidden": "true" }, WATERMARK),
    h("div", { class: "paper-mark" }, WATERMARK),
    h("header", { class: "paper-head" }, h("div", { class: "paper-agency" }, m.agency || "（执法机关）"), h("h1", null, title),
      h("div", { class: "paper-number", "data-testid": "preview-number" },
        m.number ? numberLine(m.number) : t("number_on_issue"))),
    body);
}

/** 卫生监督意见书. @param {any} m */
function opinion(m) {
  return sheet(m, [partyTable(m, "被监督人"), h("p", { class: "small" }, `检查日期：${m.inspection_date}`),
    h("h2", null, "监督意见："), h("p", { class: "indent" }, INTRO),
    h("ol", { class: "paper-findings", "data-testid": "preview-findings" },
      m.findings.map((/** @type {any} */ f) => h("li", null, `${f.number}. ${f.text}`))),
    h("p", { class: "indent" }, `请按要求整改，并于整改期限届满后${m.report_within_days}日内将整改情况书面报告${m.self}。逾期不改正的，将依法处理。`),
    photos(m, "现场照片"),
    h("div", { class: "paper-signing" }, h("div", null, officers(m), receipt(m, "被监督人")), seal(m)),
    h("p", { class: "paper-copies" }, "本意见书一式两联，第一联留存执法案卷，第二联交被监督人。")]);
}

/** 现场笔录. @param {any} m */
function onsite(m) {
  return sheet(m, [partyTable(m, "被检查人"),
    h("table", { class: "paper-fields" },
      h("tr", null, h("th", null, "检查机关"), h("td", null, m.agency || "—")),
      h("tr", null, h("th", null, "检查时间"), h("td", null, m.period)),
      h("tr", null, h("th", null, "检查地点"), h("td", null, dash(m.place))),
      m.officers.map((/** @type {any} */ o, /** @type {number} */ i) => h("tr", null, h("th", null, i ? "" : "执法人员"),
        h("td", null, `${o.name}　执法证件号：${o.cert_no || "—"}`))),
      h("tr", null, h("th", null, "记录人"), h("td", null, dash(m.recorder)))),
    h("h2", null, "告知事项："), h("p", { class: "indent" }, m.notification),
    h("h2", null, "现场检查情况："),
    h("ol", { class: "paper-findings" }, m.observations.map((/** @type {string} */ line, /** @type {number} */ i) => h("li", null, `${i + 1}. ${line}`))),
    photos(m, "现场拍摄照片"),
    h("h2", null, "被检查人意见："), h("p", { class: "indent" }, m.statement),
    h("div", { class: "paper-signing" }, h("div", null, receipt(m, "被检查人", "日期"), officers(m, "执法人员签名"))),
    h("p", { class: "paper-copies" }, "本笔录每页均由被检查人签名确认；拒绝签名的，由执法人员注明。")]);
}

/** 复查意见书. @param {any} m */
function reinspection(m) {
  return sheet(m, [partyTable(m, "被监督人"),
    h("p", { class: "indent" }, `${m.self}于${m.original.issued_on || "　　年　月　日"}向你单位出具卫生监督意见书（${m.original.number}），` +
      `责令你单位限期改正。${m.reinspection_date}，${m.self}执法人员对你单位的整改情况进行了复查，复查情况如下：`),
    h("table", { class: "paper-grid" }, h("tr", null, ["序号", "原发现问题", "改正要求", "改正期限", "复查结果", "复查情况"]
      .map((x) => h("th", null, x))),
    m.items.map((/** @type {any} */ i) => h("tr", null, h("td", null, String(i.number)), h("td", null, i.fact), h("td", null, dash(i.requirement)),
      h("td", null, i.deadline), h("td", null, i.result), h("td", null, dash(i.evidence))))),
    h("h2", null, "复查意见："), h("p", { class: "indent" }, m.conclusion || "—"),
    h("div", { class: "paper-signing" }, h("div", null, officers(m), receipt(m, "被监督人")), seal(m)),
    h("p", { class: "paper-copies" }, "本意见书一式两联，第一联留存执法案卷，第二联交被监督人。")]);
}

/**
 * One or more previews with a switch between them and a print button (prints the shown sheet alone).
 * @param {HTMLElement} root @param {any[]} models  controllers/documents previewModel results
 */
export function renderPreviews(root, models) {
  const sheets = models.map((m) => (m.doc_type === "onsite_record" ? onsite(m) : m.doc_type === "reinspection_opinion"
    ? reinspection(m) : opinion(m)));
  const show = (/** @type {number} */ index) => {
    sheets.forEach((s, i) => { s.hidden = i !== index; });
    tabs.forEach((b, i) => b.setAttribute("aria-pressed", String(i === index)));
  };
  const tabs = models.map((m, i) => h("button", { type: "button", class: "seg", "data-preview": m.doc_type, onclick: () => show(i) },
    /** @type {any} */ (TITLES)[m.doc_type]));
  root.replaceChildren(h("div", { class: "previews" },
    h("div", { class: "row no-print" }, models.length > 1 ? h("div", { class: "segmented grow" }, tabs) : h("div", { class: "grow" }),
      button(t("print_preview"), () => window.print(), { class: "btn", "data-testid": "print-preview" })),
    h("p", { class: "muted no-print" }, t("preview_note")), sheets));
  show(0);
}
