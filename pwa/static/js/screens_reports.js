// @ts-check
/**
 * Wiring of the dashboard, exports, 双随机 draws and the 编号登记簿 (number register). Loaded when a supervisor or
 * admin opens one of them.
 * @module screens_reports
 */
import * as dashboard from "./controllers/dashboard.js";
import * as draws from "./controllers/draws.js";
import * as exporting from "./controllers/exports.js";
import * as numbers from "./controllers/numbers.js";
import { t } from "./i18n.js";
import { enter, load } from "./screens_office.js";
import { renderDashboard } from "./views/dashboard.js";
import { renderDraws } from "./views/draws.js";
import { renderExports } from "./views/exports.js";
import { renderNumbers } from "./views/numbers.js";
import { errorText, saveFile } from "./views/office.js";

const MIME = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv" };

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function dashboardScreen(route, ctx) {
  if (!(await enter(ctx, "dashboard_title"))) return;
  const filters = dashboard.filtersOf(route.query);
  const model = await load(ctx, () => dashboard.dashboardModel(filters));
  if (!model) return;
  renderDashboard(ctx.main, model, {
    filter: (chosen) => ctx.go(dashboard.dashboardHash(chosen)),
    report: async (format) => {
      try {
        const file = await dashboard.report(filters, format);
        saveFile(file.bytes, file.filename, file.mime);
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function exportsScreen(route, ctx) {
  if (!(await enter(ctx, "exports_title"))) return;
  const model = await load(ctx, exporting.exportsModel);
  if (!model) return;
  const root = ctx.main;
  // Progress is followed while this screen is up: drawn off-screen first, then shown, then replaced by the next.
  let presented = false;
  const active = () => {
    presented = presented || root.isConnected;
    return root.isConnected || !presented;
  };
  const download = async (/** @type {any} */ job) => {
    try {
      const bytes = await exporting.download(job);
      saveFile(bytes, `${t(/** @type {any} */ (`export_${job.kind}`))}_${String(job.created_at).slice(0, 10)}.${job.format}`,
        /** @type {any} */ (MIME)[job.format] || "application/octet-stream");
    } catch (error) {
      ctx.toast(errorText(error), "error");
    }
  };
  const view = renderExports(root, { ...model, kinds: exporting.KINDS }, {
    download,
    start: async (request) => {
      try {
        const job = await exporting.startExport(/** @type {any} */ (request));
        view.update(job);
        await exporting.follow(job, view.update, active);
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
  for (const job of model.jobs) if (!["done", "failed"].includes(job.status)) exporting.follow(job, view.update, active).catch(() => {});
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function drawsScreen(route, ctx) {
  if (!(await enter(ctx, "draws_title"))) return;
  const model = await load(ctx, () => draws.drawsModel(route.query.get("id")));
  if (!model) return;
  const draw = (/** @type {{check: any}} */ extra) => renderDraws(ctx.main, { ...model, ...extra, defaultTitle: draws.defaultTitle() }, {
    draw: async (values) => {
      try {
        const drawn = await draws.createDraw(/** @type {any} */ (values));
        ctx.toast(t("draw_done", { n: drawn.result.assignments.length }));
        ctx.go(`#/draws?id=${drawn.id}`);
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    reproduce: async (id) => {
      try {
        draw({ check: await draws.reproduce(id) });
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
  draw({ check: null });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function numbersScreen(route, ctx) {
  if (!(await enter(ctx, "numbers_title"))) return;
  const model = await load(ctx, () => numbers.registerModel(numbers.yearOf(route.query)));
  if (model) renderNumbers(ctx.main, model, { year: (year) => ctx.go(numbers.registerHash(year)) });
}
