import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "../lib/params";
import { onAccessChange, onPanelChange } from "../lib/panel-events";
import { actorOf } from "../services/authorise.server";
import { standingUser } from "../services/auth.server";
import { liveView } from "../services/live-panel.server";

const KEEP_ALIVE_MS = 25_000;
/** A stream ends after this long and the browser opens a new one, signed in afresh. */
export const STREAM_LIFE_MS = 10 * 60_000;

/**
 * The live page's Server-Sent Events: the viewer's own view of the panel now,
 * then again after every change. Each view is built for this person, so a
 * partner's stream carries only their item's details. Before every view and
 * every keep-alive the session and the person's access are checked again, so
 * removal from the item, signing out everywhere, deactivation or expiry end an
 * open stream at once; and no stream lives longer than STREAM_LIFE_MS.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  let actor = actorOf(context);
  const panelId = idParam(params.panelId);
  // Refused (404) before the stream opens if the person may not see the panel.
  const first = await liveView(context, actor, panelId, { audit: true });
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let sending = Promise.resolve();
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      write(`retry: 2000\ndata: ${JSON.stringify(first)}\n\n`);
      // The person as they are now (role, area, still active), or null once their session has ended.
      const stillStands = async () => {
        const user = await standingUser({ ...context, idleMinutes: context.settings.sessionIdleMinutes }, context.sessionId);
        if (user) actor = { ...actor, user };
        return user !== null;
      };
      // One send at a time, in order, so a burst of changes ends on the latest.
      const send = (next: () => Promise<string>) => {
        sending = sending.then(async () => {
          if (closed) return;
          try {
            if (!(await stillStands())) return stop();
            write(await next());
          } catch {
            // No longer allowed to see the panel (liveView refuses), or the database is away: the stream ends.
            stop();
          }
        });
      };
      const sendView = () => send(async () => `data: ${JSON.stringify(await liveView(context, actor, panelId))}\n\n`);
      const unsubscribe = onPanelChange(panelId, sendView);
      const unsubscribeAccess = onAccessChange(actor.user.id, sendView);
      const keepAlive = setInterval(() => send(async () => ": still here\n\n"), KEEP_ALIVE_MS);
      const endOfLife = setTimeout(() => stop(), STREAM_LIFE_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unsubscribeAccess();
        clearInterval(keepAlive);
        clearTimeout(endOfLife);
        try {
          controller.close();
        } catch {
          // already closed by the other side
        }
      };
      request.signal.addEventListener("abort", () => stop());
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "private, no-store",
      "X-Accel-Buffering": "no",
    },
  });
}
