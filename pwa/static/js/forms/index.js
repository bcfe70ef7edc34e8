// @ts-check
/**
 * Forms in the browser: the same validation and computed values as server/form_registry, from the
 * same definitions (forms/definitions, delivered by sync). No DOM, no storage, no network here.
 * @module forms
 */
export { canonicalJson, definitionHash } from "./canonical.js";
export { FUNCTIONS, compute } from "./computed.js";
export { evaluate as evaluateCondition } from "./conditions.js";
export { entities, entityFields, entitySpec, isAttachment, isComputed } from "./definitions.js";
export { TEMPLATES } from "./messages.js";
export { upcast, upcastStep } from "./upcasting.js";
export { MODES, fieldStates, validate } from "./validate.js";
