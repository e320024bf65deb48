import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type ServerBuild } from "@remix-run/node";
import { refusalKind, type ConflictError, type DomainError, type FormError, type TransitionRefused } from "../lib/errors";
import { formValues, type FieldErrors, type FormValues } from "../lib/validation";
import { insertAuditEvent } from "../../db/queries/audit";
import { isDatabaseUnavailable } from "../../db/unavailable";
import { loggablePath } from "./loggable-path";
import { describeError, log } from "./log";

/**
 * The one place where what a use case refused becomes an HTTP answer, for
 * every route's loader and action: not found 404, not allowed 403, unreadable
 * 400, already done 409 (as the usual error page); and for a form, field
 * errors (422) or "someone else changed this" (409) with everything that was
 * typed kept. Routes call services and let their refusals through.
 */
export function withRouteEdge(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = route.module;
      return [
        id,
        {
          ...route,
          module: {
            ...module,
            ...(module.loader ? { loader: (args: LoaderFunctionArgs) => atEdge(args, async () => module.loader!(args), null) } : {}),
            ...(module.action
              ? { action: (args: ActionFunctionArgs) => atEdge(args, async () => module.action!(args), args.request.clone()) }
              : {}),
          },
        },
      ];
    }),
  );
  return { ...build, routes } as ServerBuild;
}

async function atEdge<T>(args: LoaderFunctionArgs, run: () => Promise<T>, form: Request | null): Promise<T | Response> {
  try {
    return await run();
  } catch (error) {
    const kind = refusalKind(error);
    if (kind === "domain") {
      const refused = error as DomainError;
      if (refused.status === 403 || refused.status === 404) await auditRefusal(args, refused.status);
      throw new Response(refused.message, { status: refused.status });
    }
    if (!kind) {
      // The database is away for a moment: "try again shortly", not "there is a problem".
      if (isDatabaseUnavailable(error)) {
        log("warn", "database unavailable", { path: loggablePath(new URL(args.request.url).pathname), ...describeError(error) });
        throw new Response(UNAVAILABLE, { status: 503, headers: { "Retry-After": "10" } });
      }
      throw error;
    }
    if (!form) throw new Response("The request was not understood", { status: 400 });
    return refusedForm(error as FormError | ConflictError | TransitionRefused, await typedValues(form));
  }
}

export const UNAVAILABLE = "The service is unavailable for a moment";

const SECRET_FIELDS = /password|^current$|^confirm$|^csrf$|^clientSecret$|^(code|renewCode|offCode)$/i;

async function typedValues(request: Request): Promise<FormValues> {
  try {
    const data = await request.formData();
    // What was typed goes back to the form, except secrets: passwords never travel back to the page.
    const values = Object.fromEntries(Object.entries(formValues(data)).filter(([name]) => !SECRET_FIELDS.test(name)));
    const intent = data.get("intent");
    return typeof intent === "string" ? { ...values, intent } : values;
  } catch {
    return {};
  }
}

/**
 * A record someone was refused (not theirs to see, or not there): who asked,
 * for which path, from where. Probing for children's records leaves a trail.
 */
async function auditRefusal({ request, context }: LoaderFunctionArgs, status: number) {
  await insertAuditEvent(context.db, {
    at: context.clock.now(),
    actorUserId: context.user?.id ?? null,
    action: "access.refused",
    recordType: "path",
    recordId: loggablePath(new URL(request.url).pathname),
    ip: context.ip,
    detail: { status, method: request.method },
  });
}

function refusedForm(error: FormError | ConflictError | TransitionRefused, values: FormValues) {
  let errors: FieldErrors;
  let status = 409;
  const kind = refusalKind(error);
  if (kind === "form") {
    errors = (error as FormError).fieldErrors;
    status = 422;
  } else if (kind === "conflict" && "current" in error) {
    const what = error.current.changes.join("; ") || "someone else saved first";
    errors = {
      form: `This ${error.record} changed while you were working (${what}). Check it below and try again; what you typed is kept.`,
    };
  } else {
    const refused = error as TransitionRefused;
    errors = { form: `The ${refused.record} is "${refused.from}" and cannot do that now. Check it below; what you typed is kept.` };
  }
  return json({ errors, values }, { status });
}
