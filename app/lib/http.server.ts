import { timingSafeEqual } from "node:crypto";
import { json, redirect } from "@remix-run/node";
import type { AppContext } from "./context";
import { UNTYPEABLE_CHARACTER } from "./control-characters";
import { sameOriginPath } from "./safe-link";
import { formValues, validate, type FieldErrors, type FormValues } from "./validation";
import type { z } from "zod";

function sameToken(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The only way an action reads a form: refuses a forged request (no matching
 * anti-forgery token, or another site's Origin) with 403 and an unreadable body with 400.
 * (A body over the limit never gets here: the server stops it as it arrives, request-body.ts.)
 */
export async function readForm(request: Request, context: Pick<AppContext, "csrfToken">): Promise<FormData> {
  const origin = request.headers.get("Origin");
  if (origin && origin !== new URL(request.url).origin && origin !== "null") {
    throw new Response("Cross-site form submission refused", { status: 403 });
  }
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw new Response("The form could not be read", { status: 400 });
  }
  for (const [key, value] of formData.entries()) {
    if (UNTYPEABLE_CHARACTER.test(key) || (typeof value === "string" && UNTYPEABLE_CHARACTER.test(value))) {
      throw new Response(
        "The form contains characters that cannot be saved (control characters such as a null byte). Go back, remove them and try again.",
        { status: 400 },
      );
    }
  }
  const token = formData.get("csrf");
  if (typeof token !== "string" || !sameToken(token, context.csrfToken)) {
    throw new Response("This form has expired or did not come from Threshold. Go back, reload the page and try again.", { status: 403 });
  }
  return formData;
}

export interface FormFailure {
  errors: FieldErrors;
  values: FormValues;
}

/** A failed form goes back with its messages and everything that was typed. */
export function formFailure(errors: FieldErrors, values: FormValues, status = 422) {
  return json<FormFailure>({ errors, values }, { status });
}

/**
 * Reads, checks and validates a form with one schema, then runs the use case.
 * Validation and FormError from the use case both come back as field errors.
 */
export async function handleForm<S extends z.ZodType, R>(
  request: Request,
  context: Pick<AppContext, "csrfToken">,
  schema: S,
  run: (data: z.output<S>, values: FormValues) => Promise<R>,
): Promise<R | ReturnType<typeof formFailure>> {
  const formData = await readForm(request, context);
  const values = formValues(formData);
  const result = validate(schema, values);
  if (!result.ok) return formFailure(result.errors, values);
  // What the use case refuses goes to the route edge (app/server/route-edge.ts), with what was typed.
  return run(result.data, values);
}

/**
 * The cookies a whole sign-in sets: the new session and a new anti-forgery
 * token, so a token learned before sign-in is worth nothing after it.
 */
export async function signedInHeaders(context: Pick<AppContext, "cookies">, sessionToken: string): Promise<Headers> {
  const headers = new Headers();
  headers.append("Set-Cookie", await context.cookies.commitSession(sessionToken));
  headers.append("Set-Cookie", await context.cookies.rotateCsrf());
  return headers;
}

export async function signedInRedirect(context: Pick<AppContext, "cookies">, sessionToken: string, to: string) {
  return redirect(to, { headers: await signedInHeaders(context, sessionToken) });
}

/** The web address a passkey is made and used on (its host name is the passkey's relying party). */
export function passkeySite(request: Request, context: Pick<AppContext, "settings">) {
  return { origin: context.settings.passkeysOnRequestOrigin ? new URL(request.url).origin : context.settings.appUrl };
}

/** A JSON answer from the browser's WebAuthn call, sent as one form field; unreadable is a 400. */
export function jsonField<T>(form: FormData, name: string): T {
  const raw = form.get(name);
  if (typeof raw !== "string" || raw.length > 20_000) throw new Response("The request was not understood", { status: 400 });
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== "object") throw new Error("not an object");
    return value as T;
  } catch {
    throw new Response("The request was not understood", { status: 400 });
  }
}

/** This site as an identity provider sees it: where to send people back, and whether plain http is allowed (tests). */
export function organisationSite(request: Request, context: Pick<AppContext, "settings">) {
  return { ...passkeySite(request, context), allowHttp: context.settings.allowHttpLinks };
}

/** Where to go after signing in: only a path on this site, never an absolute or protocol-relative address. */
export function returnToOf(request: Request, value: FormDataEntryValue | string | null): string {
  return sameOriginPath(typeof value === "string" ? value : null, new URL(request.url).origin);
}
