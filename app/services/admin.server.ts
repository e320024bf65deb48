import { announceAccessChange } from "./panel-access.server";
import { findAgencySignIn } from "../../db/queries/organisation-sign-in";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  agencyNameTaken,
  areaNameTaken,
  findAgencyById,
  findAreaById,
  insertAgency,
  insertArea,
  listAgencies,
  listAreas,
  updateAgency,
  updateArea,
} from "../../db/queries/organisation";
import { deleteSessionsForUser } from "../../db/queries/sessions";
import { emailTaken, findUserById, insertUser, listUnconfirmedUsers, listUsers, updateUser } from "../../db/queries/users";
import type { AgencyKind } from "../../db/schema";
import type { Database } from "../../db/connect";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError, NotAllowed } from "../lib/errors";
import type { NewUserInput, UserInput } from "../forms/admin";
import { notFound } from "./authorise.server";
import { randomBytes } from "node:crypto";
import { insertPasswordToken } from "../../db/queries/password-tokens";
import { invitationEmail } from "../../emails/invitation";
import { enqueueEmail } from "../../emails/outbox";
import { sessionIdFor } from "./auth.server";
import { hashPassword } from "./passwords.server";
import { passwordProblem } from "./password-policy.server";
import { may } from "../lib/policy";

export const INVITATION_DAYS = 7;

function assertAdmin(actor: Actor) {
  if (!may(actor.user, "administer")) throw new NotAllowed();
}

export async function listUsersForAdmin(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  return listUsers(deps.db);
}

/** Accounts chairs made at panels, waiting for an administrator to confirm or remove them. */
export async function listAccountsToConfirm(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  return listUnconfirmedUsers(deps.db);
}

/**
 * An administrator settles an account a chair made: confirmed, it is an
 * ordinary account; removed, it is deactivated and signed out everywhere.
 * Either way it leaves the list, and the choice is audited.
 */
export async function settleMadeAccount(deps: Deps, actor: Actor, id: number, choice: "confirm" | "remove") {
  assertAdmin(actor);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const waiting = (await listUnconfirmedUsers(trx)).find((u) => u.id === id);
    if (!waiting) throw notFound();
    await updateUser(trx, id, choice === "confirm" ? { confirmed_at: now, updated_at: now } : { active: false, updated_at: now });
    if (choice === "remove") await deleteSessionsForUser(trx, id);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: choice === "confirm" ? "user.confirmed" : "user.deactivated",
      recordType: "user",
      recordId: id,
      ip: actor.ip,
      detail: { role: waiting.role, active: choice === "confirm" },
    });
  });
  await announceAccessChange(deps, id);
}

export async function getUserForAdmin(deps: Deps, actor: Actor, id: number) {
  assertAdmin(actor);
  const user = await findUserById(deps.db, id);
  if (!user) throw notFound();
  return user;
}

export async function organisationOptions(deps: Deps) {
  const [areas, agencies] = await Promise.all([listAreas(deps.db), listAgencies(deps.db)]);
  return { areas, agencies };
}

async function checkUserReferences(deps: Deps, input: UserInput, exceptUserId?: number) {
  const errors: Record<string, string> = {};
  if (await emailTaken(deps.db, input.email, exceptUserId)) {
    errors.email = "A user with this email address already exists";
  }
  const agency = await findAgencyById(deps.db, input.agencyId);
  if (!agency) errors.agencyId = "Select an agency";
  if (typeof input.areaId === "number" && !(await findAreaById(deps.db, input.areaId))) {
    errors.areaId = "Select an area";
  }
  if (input.areaId === "all" && !may({ role: input.role }, "managePanels")) {
    errors.areaId = "Only a manager can act for all areas: select an area or no area";
  }
  if (Object.keys(errors).length) throw new FormError(errors);
}

/** A one-time link to choose a password, emailed to a new user in the caller's transaction. */
export async function sendInvitation(trx: Database, deps: Deps, user: { id: number; name: string; email: string }) {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await insertPasswordToken(trx, {
    id: sessionIdFor(token),
    userId: user.id,
    at: now,
    expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000),
  });
  const appUrl = appUrlOf(deps);
  await enqueueEmail(
    trx,
    {
      ...invitationEmail({ name: user.name, link: `${appUrl}/set-password/${token}`, expiresInDays: INVITATION_DAYS }),
      key: `invitation:${user.id}:${sessionIdFor(token).slice(0, 16)}`,
      kind: "invitation",
      to: user.email,
    },
    now,
  );
}

/** What an account made at a panel was made for: the item it was invited to, or the action it owns. */
export type MadeFor = { kind: "agenda_item" | "action"; panelId: number; itemId: number };

/**
 * A chair adds a partner on the spot (a contact for an agency with nobody
 * signed up, or an action's owner): a partner account with no password,
 * invited by email, in the chair's transaction. It reaches only what it was
 * made for (its item or its action: the case-visibility rule gives a partner
 * nothing else), its making is audited with who made it, and it waits on the
 * administrators' Users page to be confirmed or removed.
 */
export async function invitePartnerInTransaction(
  trx: Database,
  deps: Deps,
  input: { name: string; email: string; agencyId: number; areaId: number | null; madeBy: Actor; madeFor: MadeFor },
  fields = { email: "newOwnerEmail", agency: "newOwnerAgencyId" },
) {
  const errors: Record<string, string> = {};
  if (await emailTaken(trx, input.email)) errors[fields.email] = "A user with this email address already exists: choose them from the list";
  if (!(await findAgencyById(trx, input.agencyId))) errors[fields.agency] = "Choose the agency from the list";
  if (Object.keys(errors).length) throw new FormError(errors);
  const now = deps.clock.now();
  const { id } = await insertUser(trx, {
    name: input.name,
    email: input.email,
    password_hash: null,
    role: "partner",
    agency_id: input.agencyId,
    area_id: input.areaId,
    active: true,
    created_by_user_id: input.madeBy.user.id,
    confirmed_at: null,
    updated_at: now,
  });
  await sendInvitation(trx, deps, { id, name: input.name, email: input.email });
  await insertAuditEvent(trx, {
    at: now,
    actorUserId: input.madeBy.user.id,
    action: "user.created",
    recordType: "user",
    recordId: id,
    ip: input.madeBy.ip,
    detail: {
      role: "partner",
      agencyId: input.agencyId,
      madeFor: input.madeFor.kind,
      panelId: input.madeFor.panelId,
      itemId: input.madeFor.itemId,
    },
  });
  return id;
}

export async function createUser(deps: Deps, actor: Actor, input: NewUserInput) {
  assertAdmin(actor);
  await checkUserReferences(deps, input);
  const problem = input.password ? passwordProblem(input.password, input) : null;
  if (problem) throw new FormError({ password: problem.replace("Your password", "The password").replace("your name", "their name") });
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertUser(trx, {
      name: input.name,
      email: input.email,
      password_hash: passwordHash,
      role: input.role,
      agency_id: input.agencyId,
      ...areaColumns(input.areaId),
      active: input.active,
      confirmed_at: deps.clock.now(),
      updated_at: deps.clock.now(),
    });
    if (!passwordHash) await sendInvitation(trx, deps, { id, name: input.name, email: input.email });
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "user.created",
      recordType: "user",
      recordId: id,
      ip: actor.ip,
      detail: { role: input.role },
    });
    return id;
  });
}

export async function editUser(deps: Deps, actor: Actor, id: number, input: UserInput) {
  assertAdmin(actor);
  const existing = await findUserById(deps.db, id);
  if (!existing) throw notFound();
  if (id === actor.user.id && (!input.active || input.role !== "admin")) {
    throw new FormError({ role: "You cannot remove your own administrator access" });
  }
  await checkUserReferences(deps, input, id);
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, id, {
      name: input.name,
      email: input.email,
      role: input.role,
      agency_id: input.agencyId,
      ...areaColumns(input.areaId),
      active: input.active,
      updated_at: deps.clock.now(),
    });
    // A deactivated user is signed out everywhere at once.
    if (!input.active) await deleteSessionsForUser(trx, id);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: input.active || !existing.active ? "user.updated" : "user.deactivated",
      recordType: "user",
      recordId: id,
      ip: actor.ip,
      detail: { role: input.role, active: input.active },
    });
  });
  // Open live streams re-read who this person now is (or end, if they are signed out).
  await announceAccessChange(deps, id);
}

export async function listAreasForAdmin(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  return listAreas(deps.db);
}

export async function saveArea(
  deps: Deps,
  actor: Actor,
  input: {
    id?: number;
    name: string;
    quorum?: { kinds: AgencyKind[]; others: number };
    clocks?: { leadWithinDays: number; transferWithinDays: number };
  },
) {
  assertAdmin(actor);
  if (input.id && !(await findAreaById(deps.db, input.id))) throw notFound();
  if (await areaNameTaken(deps.db, input.name, input.id)) {
    throw new FormError({ name: "An area with this name already exists" });
  }
  return deps.db.transaction().execute(async (trx) => {
    const id = input.id ?? (await insertArea(trx, input.name)).id;
    if (input.id) await updateArea(trx, input.id, input.name, input.quorum, input.clocks);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: input.id ? "area.updated" : "area.created",
      recordType: "area",
      recordId: id,
      ip: actor.ip,
      ...(input.quorum || input.clocks
        ? { detail: { ...(input.quorum ? { quorumKinds: input.quorum.kinds, quorumOthers: input.quorum.others } : {}), ...input.clocks } }
        : {}),
    });
    return id;
  });
}

export async function getAreaForAdmin(deps: Deps, actor: Actor, id: number) {
  assertAdmin(actor);
  const area = await findAreaById(deps.db, id);
  if (!area) throw notFound();
  return area;
}

export async function getAgencyForAdmin(deps: Deps, actor: Actor, id: number) {
  assertAdmin(actor);
  const agency = await findAgencyById(deps.db, id);
  if (!agency) throw notFound();
  return agency;
}

export async function listAgenciesForAdmin(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  return listAgencies(deps.db);
}

export async function saveAgency(deps: Deps, actor: Actor, input: { id?: number; name: string; kind: AgencyKind; active: boolean }) {
  assertAdmin(actor);
  if (input.id && !(await findAgencyById(deps.db, input.id))) throw notFound();
  if (await agencyNameTaken(deps.db, input.name, input.id)) {
    throw new FormError({ name: "An agency with this name already exists" });
  }
  return deps.db.transaction().execute(async (trx) => {
    const values = { name: input.name, kind: input.kind, active: input.active };
    const id = input.id ?? (await insertAgency(trx, values)).id;
    if (input.id) await updateAgency(trx, input.id, values);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: input.id ? "agency.updated" : "agency.created",
      recordType: "agency",
      recordId: id,
      ip: actor.ip,
    });
    return id;
  });
}

/** The form's area choice as stored: an area, every area (managers), or none. */
function areaColumns(areaId: UserInput["areaId"]) {
  return { area_id: typeof areaId === "number" ? areaId : null, all_areas: areaId === "all" };
}

/**
 * An agency's own identity provider: its issuer, Threshold's client there, and
 * the email domains it may vouch for. A blank secret keeps the one saved. The
 * issuer must be https: in production.
 */
export async function saveAgencySignIn(
  deps: Deps & { settings?: { allowHttpLinks?: boolean } },
  actor: Actor,
  id: number,
  input: { issuer: string; clientId: string; clientSecret?: string; domains: string },
) {
  assertAdmin(actor);
  if (!(await findAgencyById(deps.db, id))) throw notFound();
  const off = !input.issuer && !input.clientId;
  if (!off && new URL(input.issuer).protocol !== "https:" && !deps.settings?.allowHttpLinks) {
    throw new FormError({ issuer: "The issuer must be an https: address" });
  }
  const domains = input.domains
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((d) => d.replace(/^@/, "").toLowerCase());
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("agencies")
      .set({
        oidc_issuer: off ? null : input.issuer,
        oidc_client_id: off ? null : input.clientId,
        ...(off ? { oidc_client_secret: null } : input.clientSecret ? { oidc_client_secret: input.clientSecret } : {}),
        oidc_email_domains: JSON.stringify(off ? [] : domains),
      })
      .where("id", "=", id)
      .execute();
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: off ? "agency.sign_in_turned_off" : "agency.sign_in_saved",
      recordType: "agency",
      recordId: id,
      ip: actor.ip,
      detail: off ? {} : { issuer: input.issuer, domains },
    });
  });
}

export async function agencySignInForAdmin(deps: Deps, actor: Actor, id: number) {
  const agency = await getAgencyForAdmin(deps, actor, id);
  return { agency, signIn: await findAgencySignIn(deps.db, id) };
}
