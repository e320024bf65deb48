import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Tag } from "../components/govuk";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { liveView, type LiveView } from "../services/live-panel.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Live: ${data?.title ?? "panel"} – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const view = await liveView(context, actorOf(context), idParam(params.panelId), { audit: true });
  return json(view, { headers: { "Cache-Control": "private, no-store" } });
}

const STATE_TAGS: Record<string, { label: string; colour?: string }> = {
  done: { label: "Discussed", colour: "grey" },
  current: { label: "Now", colour: "green" },
  waiting: { label: "To come", colour: "blue" },
  skipped: { label: "Later", colour: "yellow" },
};

/**
 * The running agenda. Without JavaScript it is a plain page with a refresh
 * link; with it, the page follows the panel over Server-Sent Events and
 * announces each change politely, never moving focus.
 */
export default function LivePanel() {
  const initial = useLoaderData<typeof loader>() as LiveView;
  const [view, setView] = useState<LiveView>(initial);
  const [announcement, setAnnouncement] = useState("");
  const [connected, setConnected] = useState(false);
  const last = useRef(initial.announcement);
  useEffect(() => {
    setView(initial);
  }, [initial]);
  useEffect(() => {
    const source = new EventSource(`/panels/${initial.panelId}/live/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => {
      const next = JSON.parse(message.data as string) as LiveView;
      setView(next);
      if (next.announcement !== last.current) {
        last.current = next.announcement;
        setAnnouncement(next.announcement);
      }
    };
    return () => source.close();
  }, [initial.panelId]);
  const describe = (i: LiveView["items"][number]) => (i.reference ? `${i.reference}: ${i.kind}` : `Item ${i.number} of ${view.total}`);
  return (
    <>
      <a href={`/panels/${view.panelId}`} className="govuk-back-link">
        Back to the panel
      </a>
      <span className="govuk-caption-l">Live</span>
      <h1 className="govuk-heading-l">{view.title}</h1>
      <p className="govuk-body-l" id="running-line">
        {view.runningLine}
      </p>
      {view.overrun ? <p className="govuk-body">{view.overrun}</p> : null}
      {view.current ? (
        <div className="govuk-panel govuk-panel--confirmation live-current">
          <h2 className="govuk-panel__title">Now: {describe(view.current)}</h2>
          <div className="govuk-panel__body">
            {view.current.childName ? `${view.current.childName}. ` : ""}Item {view.current.number} of {view.total}, started{" "}
            {view.current.time}
          </div>
        </div>
      ) : null}
      <h2 className="govuk-heading-m">Running order</h2>
      <ol className="govuk-list live-order">
        {view.items.map((i) => (
          <li key={i.number} className={i.mine ? "live-order__item live-order__item--mine" : "live-order__item"}>
            <strong>{i.time}</strong> {describe(i)}
            {i.childName ? `, ${i.childName}` : ""} <Tag colour={STATE_TAGS[i.state]?.colour}>{STATE_TAGS[i.state]?.label ?? i.state}</Tag>
            {i.mine ? <span className="govuk-body-s"> (your item)</span> : null}
            {i.state === "done" && i.actualMinutes !== null ? (
              <span className="govuk-body-s">{` took ${i.actualMinutes} of ${i.slotMinutes} minutes`}</span>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="govuk-body-s">
        Times are estimates from how long items are taking. {connected ? "This page updates by itself." : ""}{" "}
        <a className="govuk-link" href={`/panels/${view.panelId}/live`}>
          Refresh
        </a>
      </p>
      <div className="govuk-visually-hidden" aria-live="polite" aria-atomic="true" id="live-announcement">
        {announcement}
      </div>
    </>
  );
}
