// @ts-check
/**
 * Document numbers from the blocks this device reserved while online (server/domain/numbering.py's
 * format_number, offline): the template, padding and prefix come with each block, so the number printed
 * on site is the one the server will accept and the PDF will carry. No DOM, no storage.
 * @module numbering
 */

/**
 * @typedef {{id: number, doc_type: string, year: number, first_seq: number, last_seq: number,
 *   template: {template: string, nature_code: string|null, seq_width: number|null, seq_prefix: string|null},
 *   region_short: string|null, used: number[]}} Block
 */

/** The sequence as printed: prefix (e.g. 第) and zero padding. @param {number} seq @param {Block["template"]} spec */
export function formatSeq(seq, spec) {
  return `${spec.seq_prefix || ""}${String(seq).padStart(spec.seq_width || 0, "0")}`;
}

/**
 * A number from a block's template: {region_short}, {nature}, {year}, {seq}.
 * @param {Block["template"]} spec @param {{region_short?: string|null, year: number, seq: number}} parts
 */
export function formatNumber(spec, parts) {
  /** @type {Record<string, string>} */
  const values = { region_short: parts.region_short || "", nature: spec.nature_code || "", year: String(parts.year),
    seq: formatSeq(parts.seq, spec) };
  return spec.template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

/** Numbers a block still has. @param {Block} block */
export function remainingIn(block) {
  return block.last_seq - block.first_seq + 1 - new Set(block.used || []).size;
}

/**
 * Numbers left for a document type in this year's blocks.
 * @param {Block[]} blocks @param {string} docType @param {number} year
 */
export function remaining(blocks, docType, year) {
  return blocks.filter((b) => b.doc_type === docType && b.year === year).reduce((sum, b) => sum + remainingIn(b), 0);
}

/**
 * The next number to issue offline: the lowest unused sequence of the oldest block of this year, or null
 * when every reserved number is used (or the blocks are of last year).
 * @param {Block[]} blocks @param {string} docType @param {number} year @param {Set<string>} [taken]  numbers in use
 * @returns {{block: Block, seq: number, number: string}|null}
 */
export function nextNumber(blocks, docType, year, taken = new Set()) {
  const open = blocks.filter((b) => b.doc_type === docType && b.year === year).sort((a, b) => a.first_seq - b.first_seq);
  for (const block of open) {
    const used = new Set(block.used || []);
    for (let seq = block.first_seq; seq <= block.last_seq; seq += 1) {
      const number = formatNumber(block.template, { region_short: block.region_short, year, seq });
      if (!used.has(seq) && !taken.has(number)) return { block, seq, number };
    }
  }
  return null;
}

/** Which document types a user issues, by role. @param {string[]} roles */
export function issuedTypes(roles) {
  const types = [];
  if (roles.includes("inspector")) types.push("supervision_opinion", "onsite_record", "reinspection_opinion");
  if (roles.includes("sampler")) types.push("sampling_record_sheet", "sampling_feedback");
  if (roles.includes("assistant")) types.push("assistance_feedback");
  return types;
}

/** The document types of a record kind, in the order they are usually issued. @param {string} entity */
export function typesOf(entity) {
  return /** @type {Record<string, string[]>} */ ({
    inspection: ["supervision_opinion", "onsite_record"], reinspection: ["reinspection_opinion"],
    sampling_visit: ["sampling_record_sheet", "sampling_feedback"], assistance_visit: ["assistance_feedback"],
  })[entity] || [];
}
