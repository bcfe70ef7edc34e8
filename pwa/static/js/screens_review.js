// @ts-check
/**
 * Wiring of the office home and of review and tracking: the queue, one record with the decision, sync
 * conflicts, rectification tracking. Loaded when a supervisor or admin opens one of them.
 * @module screens_review
 */
import * as office from "./controllers/office.js";
import * as queue from "./controllers/queue.js";
import * as resolutions from "./controllers/resolutions.js";
import * as review from "./controllers/review.js";
import * as tracking from "./controllers/tracking.js";
import { t } from "./i18n.js";
import { enter, load } from "./screens_office.js";
import * as session from "./session.js";
import { kindOf } from "./views/common.js";
import { errorText, saveFile } from "./views/office.js";
import { renderOfficeHome } from "./views/office_home.js";
import { renderRecordView } from "./views/record_view.js";
import { renderResolutions } from "./views/resolutions.js";
import { renderQueue, reviewPanel } from "./views/review.js";
import { renderTracking } from "./views/tracking.js";

/**
 * The home of supervisors and admins; `drawField` draws the field part for users who also do field work.
 * @param {import("./screens.js").Context} ctx @param {((el: HTMLElement) => void)|null} drawField
 */
export async function officeHome(ctx, drawField) {
  if (!(await enter(ctx, "home_title"))) return;
  const field = renderOfficeHome(ctx.main, await office.officeModel());
  if (drawField) drawField(field);
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function reviewQueue(route, ctx) {
  if (!(await enter(ctx, "queue_title"))) return;
  const filters = queue.filtersOf(route.query);
  const key = queue.queueHash(filters);
  const model = await load(ctx, () => queue.queueModel(filters));
  if (!model) return;
  renderQueue(ctx.main, { ...model, kinds: queue.KINDS, statuses: queue.STATUSES, sorts: queue.SORTS,
    pageSizes: queue.PAGE_SIZES, approvable: queue.APPROVABLE, canApprove: session.hasRole("supervisor"),
    outcome: queue.approvalOutcome(key), ticked: queue.tickedOn(key) }, {
    filter: (chosen) => ctx.go(queue.queueHash(chosen)),
    tick: (ids) => queue.tick(key, ids),
    sort: (column) => ctx.go(queue.queueHash(queue.sortedBy(filters, column))),
    approve: async (ids) => {
      try {
        await queue.approveMany(ids, key);
        ctx.refresh(); // the approved leave a queue of what waits; the outcome stays on top
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
    dismiss: () => {
      queue.forgetApproval();
      ctx.refresh();
    },
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function reviewRecord(route, ctx) {
  if (!(await enter(ctx, "record_title"))) return;
  const model = await load(ctx, async () => {
    const found = await review.recordModel(route.params.id);
    const thumbs = await Promise.all(found.photos.slice(0, 48).map(async (/** @type {any} */ p) =>
      /** @type {[string, ArrayBuffer|null]} */ ([p.sha256, await review.thumbnail(p.sha256).catch(() => null)])));
    return { ...found, thumbs: new Map(thumbs) };
  });
  if (!model) return;
  ctx.setTitle(`${kindOf(model.record.entity)} · ${model.title || t("record_title")}`);
  const decide = async (/** @type {"approve"|"return"} */ action, /** @type {string|null} */ comment) => {
    try {
      await review.decide(model.record.id, action, comment);
      ctx.toast(t(action === "approve" ? "approved_done" : "returned_done"));
      ctx.refresh();
    } catch (error) {
      ctx.toast(errorText(error), "error");
    }
  };
  const panel = reviewPanel({ canReview: model.canReview, status: model.record.review_status },
    { approve: () => decide("approve", null), giveBack: (comment) => decide("return", comment) });
  renderRecordView(ctx.main, model, { panel, refreshEvaluation: ctx.refresh, pdf: async (d) => {
    try {
      saveFile(await review.documentPdf(d.id), `${d.number}.pdf`, "application/pdf");
    } catch (error) {
      ctx.toast(errorText(error), "error");
    }
  } });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function conflictResolution(route, ctx) {
  if (!(await enter(ctx, "conflicts_title"))) return;
  const status = route.query.get("status") === "resolved" ? "resolved" : "open";
  const model = await load(ctx, () => resolutions.conflictsModel(status));
  if (!model) return;
  renderResolutions(ctx.main, model, {
    show: (shown) => ctx.go(shown === "resolved" ? "#/review/conflicts?status=resolved" : "#/review/conflicts"),
    decide: async (conflict, choice, text) => {
      try {
        const value = choice === "value" ? resolutions.parseEntered(conflict.editor, text || "") : null;
        await resolutions.resolve(conflict.id, choice, value);
        ctx.toast(t("conflict_resolved_done"));
        ctx.refresh();
      } catch (error) {
        ctx.toast(errorText(error), "error");
      }
    },
  });
}

/** @param {import("./router.js").Route} route @param {import("./screens.js").Context} ctx */
export async function rectifications(route, ctx) {
  if (!(await enter(ctx, "tracking_title"))) return;
  const status = tracking.STATES.includes(route.query.get("status") || "") ? /** @type {string} */ (route.query.get("status")) : "";
  const page = Math.max(1, Number(route.query.get("page")) || 1);
  const model = await load(ctx, () => tracking.trackingModel(status, page));
  if (model) renderTracking(ctx.main, model, { show: (shown, to = 1) => {
    const query = new URLSearchParams();
    if (shown) query.set("status", shown);
    if (to > 1) query.set("page", String(to));
    ctx.go(`#/rectifications${query.size ? `?${query}` : ""}`);
  } });
}
