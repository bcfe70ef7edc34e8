// @ts-check
/**
 * Administration of people and devices, online: users (list, create, roles, unlock, reset the password, deactivate)
 * and devices (list, revoke a lost or stolen tablet: its pushes are refused and its logins end). No DOM.
 * @module controllers/admin
 */
import * as api from "../api.js";
import * as session from "../session.js";
import { assessor, passwordPolicy } from "./account.js";
import { pickers } from "./office.js";

export const ROLES = ["sampler", "inspector", "assistant", "followup", "laboratory", "supervisor", "admin"];

/** Users of the jurisdiction with the agencies and teams to put them in, and the password policy for a new one. */
export async function usersModel() {
  const [users, options, policy] = await Promise.all([api.get("/api/users"), pickers(), passwordPolicy()]);
  return { users: users.items, agencies: options.agencies, teams: options.teams, roles: ROLES, me: session.user()?.id ?? null,
    assess: assessor(policy) };
}

/**
 * Create a user; an inspector needs the certificate number (执法证号), the server says so otherwise.
 * @param {Record<string, string>} values @param {string[]} roles
 */
export function createUser(values, roles) {
  return api.post("/api/users", { username: values.username, password: values.password, display_name: values.display_name,
    agency_id: Number(values.agency_id) || null, team_id: Number(values.team_id) || null, roles,
    enforcement_cert_no: values.enforcement_cert_no || null, phone: values.phone || null });
}

/** Change roles, certificate, name or whether the account is active. @param {number} id @param {Record<string, any>} changes */
export const updateUser = (id, changes) => api.request("PATCH", `/api/users/${id}`, { json: changes });

/** Unlock an account locked after too many failed logins. @param {number} id */
export const unlockUser = (id) => api.post(`/api/users/${id}/unlock`, {});

/**
 * A temporary password for a user who forgot theirs (shown once; they change it at their next login and set up
 * their second factor again). @param {number} id @returns {Promise<string>}
 */
export async function resetPassword(id) {
  return (await api.request("POST", `/api/users/${id}/password-reset`)).temporary_password;
}

/** Every device of the jurisdiction's users, revoked ones included. */
export async function devicesModel() {
  return { devices: (await api.get("/api/devices")).items, mine: session.deviceId() };
}

/** @param {string} id @param {string} reason */
export const revokeDevice = (id, reason) => api.post(`/api/devices/${encodeURIComponent(id)}/revoke`, { reason: reason || null });
