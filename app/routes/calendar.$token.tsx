import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFeed } from "../services/calendar-feed.server";

/** The private feed: calendar programs have no session, so the secret in the address is the key. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const match = /^([A-Za-z0-9_-]+)\.ics$/.exec(params.token ?? "");
  const ics = match ? await calendarFeed(context, match[1]) : null;
  if (!ics) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return new Response(ics, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300" },
  });
}
