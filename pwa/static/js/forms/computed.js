// @ts-check
/**
 * Computed fields: the same closed registry of named functions as server/form_registry/computed.py
 * (whose sampling arithmetic is server/domain/sampling.py). Same operations in the same order, so the
 * same numbers; the golden cases check both.
 * @module forms/computed
 */
import { PARENT_PREFIX, resolve } from "./conditions.js";
import { entityFields, entitySpec, isComputed } from "./definitions.js";
import { datetimeSeconds, isDatetime, isNumber } from "./values.js";

// Occupational health's standard state is 20 °C / 101.3 kPa (GBZ 159), not environmental 0 °C.
const STANDARD_TEMPERATURE_K = 293.0;
const STANDARD_PRESSURE_KPA = 101.3;
const KELVIN_OFFSET = 273.0;

/** @param {number} a @param {number} b */
const meanFlow = (a, b) => (a + b) / 2.0;

/**
 * name → [function taking named arguments, {parameter: kind}].
 * @type {Record<string, [(args: any) => number | null, Record<string, string>]>}
 */
export const FUNCTIONS = {
  duration_min: [({ start, end }) => {
    const minutes = (/** @type {number} */ (datetimeSeconds(end)) - /** @type {number} */ (datetimeSeconds(start))) / 60;
    return minutes > 0 ? minutes : null;
  }, { start: "datetime", end: "datetime" }],
  mean_flow: [({ flow_before, flow_after }) => meanFlow(flow_before, flow_after),
    { flow_before: "number", flow_after: "number" }],
  flow_deviation_pct: [({ flow_before, flow_after }) => {
    if (flow_before <= 0) return null;
    return Math.abs(flow_after - flow_before) / flow_before * 100.0;
  }, { flow_before: "number", flow_after: "number" }],
  sampled_volume_l: [({ flow_before, flow_after, minutes }) => meanFlow(flow_before, flow_after) * minutes,
    { flow_before: "number", flow_after: "number", minutes: "number" }],
  standard_volume_l: [({ volume_l, temperature_c, pressure_kpa }) =>
    volume_l * STANDARD_TEMPERATURE_K / (KELVIN_OFFSET + temperature_c) * pressure_kpa / STANDARD_PRESSURE_KPA,
  { volume_l: "number", temperature_c: "number", pressure_kpa: "number" }],
  abs_difference: [({ a, b }) => Math.abs(a - b), { a: "number", b: "number" }],
  ratio_pct: [({ numerator, denominator }) => (denominator > 0 ? numerator / denominator * 100 : null),
    { numerator: "number", denominator: "number" }],
};

/** @type {Record<string, (value: unknown) => boolean>} */
const KIND_TESTS = { number: isNumber, datetime: isDatetime };

/**
 * Values of the entity's computed fields (null where an input is missing or unusable).
 * @param {any} definition
 * @param {string} entity
 * @param {Record<string, unknown>} data
 * @param {Record<string, unknown> | null} [parent]
 * @returns {Record<string, number | null>}
 */
export function compute(definition, entity, data, parent = null) {
  /** @type {Map<string, any>} */
  const computed = new Map();
  for (const [field] of entityFields(entitySpec(definition, entity))) {
    if (isComputed(field)) computed.set(field.id, field);
  }
  /** @type {Record<string, number | null>} */
  const values = {};
  /** @param {string} name @returns {unknown} */
  const valueOf = (name) => {
    if (computed.has(name) && !name.startsWith(PARENT_PREFIX)) {
      if (!(name in values)) values[name] = call(computed.get(name), valueOf);
      return values[name];
    }
    return resolve(name, data, parent);
  };
  for (const name of computed.keys()) valueOf(name);
  return Object.fromEntries([...computed.keys()].map((name) => [name, values[name]]));
}

/** @param {any} field @param {(name: string) => unknown} valueOf */
function call(field, valueOf) {
  const [fn, params] = FUNCTIONS[field.function];
  /** @type {Record<string, unknown>} */
  const args = {};
  for (const [param, kind] of Object.entries(params)) {
    const source = field.args[param];
    const value = typeof source === "string" ? valueOf(source) : source;
    if (!KIND_TESTS[kind](value)) return null;
    args[param] = value;
  }
  const result = fn(args);
  return result === null || Number.isFinite(result) ? result : null;
}
