// @ts-check
/**
 * Reading a form definition: its entities, their fields, and field kinds. Twin of definitions.py.
 * @module forms/definitions
 */

export const ATTACHMENT_TYPES = ["photos", "signature"];

/**
 * Entity names of a form with their parent entity (null for the root), root first.
 * @param {any} definition
 * @returns {{entity: string, parent: string | null}[]}
 */
export function entities(definition) {
  return definition.entities.map((/** @type {any} */ spec) => ({ entity: spec.entity, parent: spec.parent }));
}

/**
 * The definition block of one entity; throws when the form has no such entity.
 * @param {any} definition
 * @param {string} entity
 * @returns {any}
 */
export function entitySpec(definition, entity) {
  const spec = definition.entities.find((/** @type {any} */ item) => item.entity === entity);
  if (!spec) throw new Error(`${definition.form_id} v${definition.version} has no entity ${entity}`);
  return spec;
}

/**
 * [field, section] pairs of an entity in display order; sections only group fields visually.
 * @param {any} spec
 * @returns {[any, any][]}
 */
export function entityFields(spec) {
  return spec.sections.flatMap((/** @type {any} */ section) =>
    section.fields.map((/** @type {any} */ field) => [field, section]));
}

/**
 * True for fields whose files live in attachment child records, never in the record's data.
 * @param {any} field
 * @returns {boolean}
 */
export function isAttachment(field) {
  return ATTACHMENT_TYPES.includes(field.type);
}

/**
 * True for read-only fields whose value is computed.
 * @param {any} field
 * @returns {boolean}
 */
export function isComputed(field) {
  return field.type === "computed";
}
