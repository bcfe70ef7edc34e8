// Business time on the tablet (pwa/static/js/clock.js): China's date and year whatever timezone the device is set
// to, and the number blocks a device keeps (this year; from December the coming one too).
import assert from "node:assert/strict";
import { test } from "node:test";

import { blockYears, today, year, yearOf } from "../../pwa/static/js/clock.js";
import { nextNumber } from "../../pwa/static/js/numbering.js";

test("the date and year are China's, not the device's", () => {
  const newYearInChina = new Date("2026-12-31T16:30:00Z"); // 00:30 on 1 January in China; 31 December elsewhere
  assert.equal(today(newYearInChina), "2027-01-01");
  assert.equal(year(newYearInChina), 2027);
  assert.equal(today(new Date("2026-12-31T15:59:00Z")), "2026-12-31");
  assert.equal(yearOf("2027-01-01T00:10:00+08:00"), 2027);
  assert.equal(yearOf("2026-12-31T11:30:00-05:00"), 2027); // 00:30 in China
});

test("blocks are kept for this year, and from December for the coming one", () => {
  assert.deepEqual(blockYears(new Date("2026-11-30T15:00:00Z")), [2026]);
  assert.deepEqual(blockYears(new Date("2026-11-30T16:30:00Z")), [2026, 2027]); // 1 December in China
  assert.deepEqual(blockYears(new Date("2027-01-02T01:00:00Z")), [2027]);
});

test("a new year's document never takes last year's number", () => {
  const template = { template: "{year}—{seq}", nature_code: null, seq_width: 3, seq_prefix: null };
  const blocks = [{ id: 1, doc_type: "supervision_opinion", year: 2026, first_seq: 41, last_seq: 50, template, used: [] }];
  assert.equal(nextNumber(blocks, "supervision_opinion", 2027), null);
  blocks.push({ id: 2, doc_type: "supervision_opinion", year: 2027, first_seq: 1, last_seq: 10, template, used: [] });
  assert.equal(nextNumber(blocks, "supervision_opinion", 2027).number, "2027—001");
  assert.equal(nextNumber(blocks, "supervision_opinion", 2026).number, "2026—041");
});
