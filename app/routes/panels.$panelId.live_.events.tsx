import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "../lib/params";
import { onPanelChange } from "../lib/panel-events";
import { actorOf } from "../services/authorise.server";
import { liveView } from "../services/live-panel.server";

const KEEP_ALIVE_MS = 25_000;

/**
 * The live page's Server-Sent Events: the viewer's own view of the panel now,
 * then again after every change. Each view is built for this person, so a
 * partner's stream carries only their item's details.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const actor = actorOf(context);
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
      const unsubscribe = onPanelChange(panelId, () => {
        // One view at a time, in order, so a burst of changes ends on the latest.
        sending = sending.then(async () => {
          if (closed) return;
          try {
            write(`data: ${JSON.stringify(await liveView(context, actor, panelId))}\n\n`);
          } catch {
            stop();
          }
        });
      });
      const keepAlive = setInterval(() => write(": still here\n\n"), KEEP_ALIVE_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(keepAlive);
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
