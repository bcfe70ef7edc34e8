// @ts-check
/**
 * Upcasting a device's draft from an older form version to a newer one. Twin of upcasting.py.
 * @module forms/upcasting
 */
import { isEmpty } from "./values.js";

/**
 * Data of the previous version of `definition` mapped onto it, for one entity.
 * @param {any} definition
 * @param {string} entity
 * @param {Record<string, unknown>} data
 * @returns {Record<string, unknown>}
 */
export function upcastStep(definition, entity, data) {
  const rules = ((definition.upcast || {}).entities || {})[entity] || {};
  const result = structuredClone(data);
  for (const [oldName, newName] of Object.entries(rules.rename || {})) {
    if (Object.prototype.hasOwnProperty.call(result, oldName)) {
      const value = result[oldName];
      delete result[oldName];
      // A value already under the new name was written deliberately: it wins.
      if (!Object.prototype.hasOwnProperty.call(result, newName)) result[newName] = value;
    }
  }
  for (const name of rules.drop || []) delete result[name];
  for (const [name, value] of Object.entries(rules.defaults || {})) {
    if (isEmpty(result[name])) result[name] = structuredClone(value);
  }
  return result;
}

/**
 * Apply the steps fromVersion → toVersion; `definitions` maps version → definition of the form.
 * @param {Record<number, any>} definitions
 * @param {string} entity
 * @param {Record<string, unknown>} data
 * @param {number} fromVersion
 * @param {number} toVersion
 * @returns {Record<string, unknown>}
 */
export function upcast(definitions, entity, data, fromVersion, toVersion) {
  if (fromVersion > toVersion) throw new Error(`cannot upcast from v${fromVersion} down to v${toVersion}`);
  let result = structuredClone(data);
  for (let version = fromVersion + 1; version <= toVersion; version += 1) {
    result = upcastStep(definitions[version], entity, result);
  }
  return result;
}
