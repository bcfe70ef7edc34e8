// @ts-check
/**
 * Wiring of 分类监督执法: the register with the district's draw ratios and the import, and an enterprise's class file
 * with its assessment form. Loaded when a supervisor or admin opens one of them.
 * @module screens_classification
 */
import * as classes from "./controllers/classification.js";
import { t } from "./i18n.js";
import { enter, load } from "./screens_office.js";
import { renderClassFile, renderRegister } from "./views/classification.js";
import { messageOf } from "./views/common.js";
import { errorText } from "./views/office.js";

/** The fields of these screens by the names the forms show them under. */
const FIELD_LABELS = /** @type {const} */ ({ hazard_nature: "cls_hazard_nature", exposure_conformity: "cls_conformity",
  exposed_headcount: "cls_headcount", management_score: "cls_score", assessed_on: "cls_date", note: "cls_remark", scheme: "cls_scheme",
  ratio_pct: "cls_ratio", reason: "cls_ratio_reason", label: "cls_class" });

/** A refusal in words: the message and each field's message under the field's name (never its key). @param {any} error */
function failText(error) {
  if (error?.status === 0 || !Array.isArray(error?.details)) return errorText(error);
  const named = (/** @type {any} */ d) => {
    const key = /** @type {keyof typeof FIELD_LABELS} */ (d.field);
    return `${FIELD_LABELS[key] ? `${t(FIELD_LABELS[key])}：` : ""}${messageOf(d)}`;
  };
  return [error.message, ...error.details.slice(0, 5).map(named)].filter(Boolean).join(" — ");
}

/** @param {any} error  an import's refusal: every problem with its row and column */
function problemsText(error) {
  const details = /** @type {any[]} */ (error?.details || []).filter((d) => d.row);
  if (!details.length) return failText(error);
  return [t("cls_import_problems", { n: details.length }),
    ...details.slice(0, 8).map((d) => t("cls_import_problem", { row: d.row, column: d.column || "", message: d.message }))].join("\n");
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function classificationScreen(route, ctx) {
  if (!(await enter(ctx, "cls_title"))) return;
  const filters = { status: route.query.get("status"), region_id: route.query.get("region_id") };
  const model = await load(ctx, () => classes.registerModel(filters));
  if (!model) return;
  const draw = (/** @type {any} */ preview) => renderRegister(ctx.main, { ...model, preview }, {
    status: (status) => ctx.go(classes.registerHash({ ...filters, status })),
    district: (id) => ctx.go(classes.registerHash({ ...filters, region_id: id })),
    saveRatio: async (label, pct, reason) => {
      try {
        model.ratios = await classes.setRatio(/** @type {string} */ (model.regionId), label, pct, reason);
        ctx.toast(t("cls_ratio_saved", { label: label === "未分类" ? t("cls_unclassified") : label, pct }));
        draw(preview);
      } catch (error) {
        ctx.toast(failText(error), "error");
      }
    },
    preview: async (file) => {
      try {
        draw(await classes.previewImport(file));
      } catch (error) {
        ctx.toast(problemsText(error), "error");
      }
    },
    apply: async (file, digest) => {
      try {
        const report = await classes.applyImport(file, digest);
        ctx.toast(t("cls_import_done", { n: report.counts.new + report.counts.update + report.counts.history }));
        ctx.refresh();
      } catch (error) {
        ctx.toast(problemsText(error), "error");
      }
    },
  });
  draw(null);
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function classFileScreen(route, ctx) {
  if (!(await enter(ctx, "cls_assess_title"))) return;
  const model = await load(ctx, () => classes.fileModel(route.params.id));
  if (!model) return;
  ctx.setTitle(`${t("cls_assess_title")} · ${model.file.enterprise.name}`);
  const draw = () => renderClassFile(ctx.main, model, {
    assess: async (values) => {
      try {
        model.file = await classes.assess(route.params.id, values);
        const c = model.file.current;
        ctx.toast(c.next_due ? t("cls_saved", { label: c.label, date: c.next_due }) : t("cls_saved_no_due", { label: c.label }));
        draw();
      } catch (error) {
        ctx.toast(failText(error), "error");
      }
    },
  });
  draw();
}
