// @ts-check
/**
 * The registers kept as ledgers (三同时, 放射诊疗, 专项治理): the list of ledgers, one ledger with its import, and a
 * campaign's own screen.
 * Wiring only (controllers/ledgers.js reads, views/ledgers.js draws).
 * @module screens_ledgers
 */
import * as campaigns from "./controllers/campaigns.js";
import * as enterprises from "./controllers/enterprises.js";
import * as ledgers from "./controllers/ledgers.js";
import { t } from "./i18n.js";
import * as session from "./session.js";
import { renderCampaign } from "./views/campaigns.js";
import { renderMessage } from "./views/common.js";
import { renderLedger, renderLedgerList } from "./views/ledgers.js";
import { importFlow } from "./screens_register_import.js";

/** The sheet being imported with its preview, per ledger (the import sends the same bytes with the digest). */
const importing = new Map();

/** @typedef {import("./screens.js").Context} Context */

/** @param {import("./router.js").Route} _route @param {Context} ctx */
export async function ledgerList(_route, ctx) {
  ctx.setTitle(t("ledgers_title"));
  renderLedgerList(ctx.main, await ledgers.ledgers());
}

/** @param {import("./router.js").Route} route @param {Context} ctx */
export async function ledgerScreen(route, ctx) {
  const kind = route.params.kind;
  const filters = { state: route.query.get("state") || "", q: route.query.get("q") || "", page: Number(route.query.get("page")) || 1 };
  const model = await ledgers.ledgerModel(kind, filters).catch((error) => ({ error }));
  if (!model) return renderMessage(ctx.main, t("ledger_never"));
  if ("error" in model) return renderMessage(ctx.main, model.error?.status === 404 ? t("not_found") : model.error?.message || String(model.error));
  ctx.setTitle(model.title_zh);
  const { importSlot } = renderLedger(ctx.main, model, {
    filter: (next) => {
      const params = new URLSearchParams();
      if (next.state) params.set("state", next.state);
      if (next.q) params.set("q", next.q);
      if (next.page && next.page > 1) params.set("page", String(next.page));
      ctx.go(`#/ledger/${kind}${params.size ? `?${params}` : ""}`);
    },
    open: (route) => ctx.go(route),
    create: async () => ctx.go(await ledgers.newFile(model)),
  });
  // Supervisors bring in the ledger kept in a sheet until now (online: the server checks every row).
  if (model.can_import && session.hasRole("supervisor", "admin")) importSlot.append(importSection(kind, model, ctx));
}

/** The import card of a ledger (supervisors). @param {string} kind @param {any} model @param {Context} ctx */
function importSection(kind, model, ctx) {
  const current = importing.get(kind) || { file: null, state: { phase: "idle" } };
  importing.set(kind, current);
  return importFlow(current, {
    preview: (file) => ledgers.previewImport(kind, file),
    apply: (file, digest) => ledgers.applyImport(kind, file, digest),
    words: { title: t("ledger_import_title", { title: model.title_zh }), note: t("ledger_import_note", { key: model.key_label_zh || "" }),
      done: t("ledger_import_reach"), prefix: "ledger-import" },
    done: () => ctx.refresh(), // the ledger above shows the new and changed files
  });
}

/**
 * The outcome of the last action on each campaign and when it was shown: a redraw that follows at once (a sync
 * finishing redraws the screen) keeps it on screen instead of wiping it.
 * @type {Map<string, {flash: {error?: any, notice?: string}, at: number}>}
 */
const outcomes = new Map();
const OUTCOME_KEPT_MS = 30_000;

/** A 专项治理 campaign (online). @param {import("./router.js").Route} route @param {Context} ctx */
export async function campaignScreen(route, ctx) {
  const id = route.params.id;
  /** @param {{error?: any, notice?: string}} [given] */
  async function draw(given) {
    if (given) outcomes.set(id, { flash: given, at: Date.now() });
    const model = await campaigns.campaignModel(id).catch((error) => ({ error }));
    // Read after the model arrives: a redraw begun before the action and finishing after it shows its outcome too.
    const kept = outcomes.get(id);
    const flash = kept && Date.now() - kept.at < OUTCOME_KEPT_MS ? kept.flash : undefined;
    if ("error" in model) return renderMessage(ctx.main, model.error?.status === 404 ? t("not_found") : model.error?.message || String(model.error));
    ctx.setTitle(model.campaign_name || t("nav_ledgers"));
    renderCampaign(ctx.main, model, {
      enrolByIndustry: () => act(() => campaigns.enrol(id, { by_industry: true })),
      find: (query) => campaigns.candidates(query, new Set(model.enterprises.map((/** @type {any} */ e) => e.enterprise_id))),
      enrol: (ids) => act(() => campaigns.enrol(id, { enterprise_ids: ids })),
      confirm: (enrolmentId) => act(async () => { await campaigns.confirm(id, enrolmentId); return null; }),
      open: (next) => ctx.go(next),
      // Inspectors start the inspection of an enrolled enterprise from the campaign: its checklist adds the
      // industry's focus items (the form's campaign field).
      inspect: session.hasRole("inspector") ? async (enterpriseId) => {
        const next = await enterprises.startFlow("inspection", enterpriseId, { campaign_id: id });
        if (next) ctx.go(next);
      } : null,
      listCard: () => listImport(id, () => draw()),
    }, flash);
  }
  /** @param {() => Promise<{enrolled: string[], already: number}|null>} work */
  async function act(work) {
    try {
      const result = await work();
      await draw(result ? { notice: t("campaign_enrolled_now", { n: result.enrolled.length, already: result.already }) } : {});
    } catch (error) {
      await draw({ error });
    }
  }
  await draw();
}

/** The list being enrolled into each campaign, kept with its preview (the import sends the same bytes). */
const listing = new Map();

/**
 * Enrolment from a sheet listing enterprises by credit code: preview row by row, confirm.
 * @param {string} id  the campaign @param {() => void} redraw  the campaign as it is after the import
 */
function listImport(id, redraw) {
  const current = listing.get(id) || { file: null, state: { phase: "idle" } };
  listing.set(id, current);
  return importFlow(current, {
    preview: (file) => campaigns.previewList(id, file),
    apply: (file, digest) => campaigns.enrolList(id, file, digest),
    words: { title: t("campaign_list_title"), note: t("campaign_list_note"), done: "", prefix: "campaign-list",
      status: { new: t("campaign_list_new"), unchanged: t("campaign_list_already") },
      counts: (c) => t("campaign_list_counts", { new: c.new, already: c.unchanged }) },
    done: redraw,
  });
}
