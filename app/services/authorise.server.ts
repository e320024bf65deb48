import type { Role } from "../../db/schema";
import type { AppContext, CurrentUser } from "../lib/context";

export function forbidden(): Response {
  return new Response("You do not have permission to see this page", { status: 403 });
}

export function notFound(): Response {
  return new Response("Page not found", { status: 404 });
}

export function badRequest(message = "The request was not understood"): Response {
  return new Response(message, { status: 400 });
}

/** The signed-in user; the server already sends anyone else to sign in. */
export function requireUser(context: Pick<AppContext, "user">): CurrentUser {
  if (!context.user) throw new Response("Sign in required", { status: 401 });
  return context.user;
}

export function requireRole(context: Pick<AppContext, "user">, ...roles: Role[]): CurrentUser {
  const user = requireUser(context);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** The signed-in person as the actor of a use case. */
export function actorOf(context: Pick<AppContext, "user" | "ip">, ...roles: Role[]) {
  const user = roles.length ? requireRole(context, ...roles) : requireUser(context);
  return { user, ip: context.ip };
}
