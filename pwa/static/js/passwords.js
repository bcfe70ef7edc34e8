// @ts-check
/**
 * The password policy as the person types (the server's /api/auth/password-policy): length, character classes,
 * not the username — the same rules the server applies (server/domain/passwords.py), so the meter never
 * promises what the server then refuses. Common passwords are the server's list only; it answers those at the
 * field. Also the steps a login answer asks for before anything else (an initial password, a second factor).
 * No DOM, no storage.
 * @module passwords
 */

/** @typedef {{min_length: number, classes_required: number, classes: string[]}} Policy */
/** @typedef {{code: "min_length"|"classes"|"contains_username", met: boolean, params: Record<string, number>}} Rule */
/** @typedef {"password"|"totp"} Step */

/** What the server asks when its policy cannot be read (offline): the policy of 等保 level 3 it ships with. */
export const DEFAULT_POLICY = Object.freeze({ min_length: 8, classes_required: 3, classes: ["lower", "upper", "digit", "symbol"] });

/** The class of one character, as Python's str.islower / isupper / isdigit sort it on the server. @param {string} char */
function classOf(char) {
  if (/\p{Ll}/u.test(char)) return "lower";
  if (/\p{Lu}/u.test(char)) return "upper";
  if (/\p{Nd}/u.test(char)) return "digit";
  return "symbol";
}

/** The character classes a password uses. @param {string} password @returns {Set<string>} */
export function classesOf(password) {
  return new Set([...password].map(classOf));
}

/**
 * Each rule of the policy, met or not, and a strength level for the meter: 0 nothing typed, 1 a rule unmet,
 * 2 acceptable, 3 strong (every rule met with room to spare: 12 or more characters and all classes, or 16 or more).
 * @param {string} password @param {string|null|undefined} username @param {Policy} [policy]
 * @returns {{rules: Rule[], unmet: Rule[], level: 0|1|2|3}}
 */
export function assess(password, username, policy = DEFAULT_POLICY) {
  const length = [...password].length; // code points, as the server counts them
  const classes = classesOf(password).size;
  const name = (username || "").trim().toLowerCase();
  /** @type {Rule[]} */
  const rules = [
    { code: "min_length", met: length >= policy.min_length, params: { n: policy.min_length, have: length } },
    { code: "classes", met: classes >= policy.classes_required, params: { n: policy.classes_required, have: classes } },
    { code: "contains_username", met: !name || !password.toLowerCase().includes(name), params: {} },
  ];
  const unmet = rules.filter((rule) => !rule.met);
  const strong = length >= 16 || (length >= 12 && classes >= policy.classes.length);
  const level = !password ? 0 : unmet.length ? 1 : strong ? 3 : 2;
  return { rules, unmet, level };
}

/**
 * The steps a login answer asks for, first one first (a new password before the second factor).
 * @param {{must_change_password?: boolean, totp_enrolment_required?: boolean}} answer @returns {Step[]}
 */
export function stepsOf(answer) {
  /** @type {Step[]} */
  const steps = [];
  if (answer.must_change_password) steps.push("password");
  if (answer.totp_enrolment_required) steps.push("totp");
  return steps;
}

/** A base32 secret in groups of four, easier to type into an authenticator app. @param {string} secret */
export function groupSecret(secret) {
  return (secret.replace(/\s+/g, "").match(/.{1,4}/g) || []).join(" ");
}
