import type { AppContext, CurrentUser } from "../lib/context";
import { BadRequest, NotAllowed, NotFound } from "../lib/errors";
import { may, type Capability } from "../lib/policy";

export function forbidden(message?: string): NotAllowed {
  return new NotAllowed(message);
}

export function notFound(): NotFound {
  return new NotFound();
}

export function badRequest(message = "The request was not understood"): BadRequest {
  return new BadRequest(message);
}

/** The signed-in user; the server already sends anyone else to sign in. */
export function requireUser(context: Pick<AppContext, "user">): CurrentUser {
  if (!context.user) throw new Response("Sign in required", { status: 401 });
  return context.user;
}

/** The signed-in person as the actor of a use case, if the policy lets them use this page. */
export function actorMay(context: Pick<AppContext, "user" | "ip">, capability: Capability) {
  const user = requireUser(context);
  if (!may(user, capability)) throw forbidden();
  return { user, ip: context.ip };
}

/** The signed-in person as the actor of a use case. */
export function actorOf(context: Pick<AppContext, "user" | "ip">) {
  return { user: requireUser(context), ip: context.ip };
}

/**
 * Who a passkey request is for: someone signed in (to add one), or a
 * half-signed-in session at the step named (set-up, or giving the second factor).
 */
export function passkeyActor(
  context: Pick<AppContext, "user" | "sessionId" | "halfSignedIn">,
  step: "code" | "set_up",
  options: { halfSignedInOnly?: boolean } = {},
): { userId: number; sessionId: string } {
  if (context.halfSignedIn) {
    if (context.halfSignedIn.pending !== step) throw forbidden();
    return { userId: context.halfSignedIn.userId, sessionId: context.halfSignedIn.sessionId };
  }
  if (options.halfSignedInOnly || !context.user || !context.sessionId) throw forbidden();
  return { userId: context.user.id, sessionId: context.sessionId };
}
