import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { PossibleMatches } from "../components/possible-matches";
import { AgendaOrderForm } from "../components/agenda-order";
import { json, redirect } from "@remix-run/node";
import { Fragment } from "react";
import { Form, useActionData, useLoaderData, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { ExternalLink } from "../components/external-link";
import { FoldedForm } from "../components/folded-form";
import {
  Button,
  CsrfInput,
  DateInput,
  ErrorSummary,
  NotificationBanner,
  Select,
  SummaryList,
  Tag,
  Textarea,
  TextInput,
  valueOf,
  Table,
} from "../components/govuk";
import {
  cancelPanelSchema,
  moveItemSchema,
  panelDetailsSchema,
  panelVersionSchema,
  pullItemSchema,
  reorderAgendaSchema,
  startMeetingSchema,
} from "../forms/panel";
import { formatDate, formatDateTime, formatTime, timeInputValue, todayIn } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay, badRequest } from "../services/authorise.server";
import {
  cancelPanel,
  changePanelDetails,
  moveAgendaItem,
  pullItemOntoPanel,
  reorderAgenda,
  sendAgenda,
  viewAgenda,
} from "../services/agenda.server";
import { startMeeting } from "../services/meeting.server";
import { packReadingFor, packReadSummary } from "../services/panel-pack.server";
import { SORTING } from "../services/triage.server";
import { kindName } from "../lib/request-kind";
import { DECLARING_STATES, PANEL_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Threshold` : "Panel – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const agenda = await viewAgenda(context, actor, idParam(params.panelId));
  const p = agenda.panel;
  return json({
    id: p.id,
    title: `${p.area_name} ${p.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(p.meeting_date)}`,
    kind: p.kind,
    status: p.status,
    statusLabel: PANEL_STATE_LABELS[p.status],
    version: p.version,
    reason: p.reason,
    cancelledReason: p.cancelled_reason,
    when: `${formatDate(p.meeting_date)}, ${formatTime(p.starts_at)} to ${formatTime(p.ends_at)}`,
    movedFrom: p.moved_from ? formatDate(p.moved_from) : null,
    // Starting before the panel's date needs a reason.
    beforeItsDay: p.meeting_date > todayIn(context),
    heldEarly: p.held_early_from ? { from: formatDate(p.held_early_from), reason: p.held_early_reason } : null,
    cutoff: formatDateTime(p.cutoff_at),
    venue: p.venue,
    link: p.meeting_link,
    details: {
      meetingDay: String(Number(p.meeting_date.slice(8, 10))),
      meetingMonth: String(Number(p.meeting_date.slice(5, 7))),
      meetingYear: p.meeting_date.slice(0, 4),
      startTime: timeInputValue(p.starts_at),
      endTime: timeInputValue(p.ends_at),
      venue: p.venue ?? "",
      meetingLink: p.meeting_link ?? "",
    },
    chair: p.chair_name,
    hasMinutes: Boolean(p.minutes) && (p.status === "minutes_published" || agenda.mayChair),
    mayChair: agenda.mayChair,
    wholePanel: agenda.wholePanel,
    editable: agenda.editable,
    agendaSent: p.agenda_sent_at ? formatDateTime(p.agenda_sent_at) : null,
    // For the chair once the agenda is sent: how many invited have read the pack.
    packRead: agenda.mayChair && p.agenda_sent_at ? packReadSummary(await packReadingFor(context.db, p.id)) : null,
    items: agenda.items.map((i) => ({
      id: i.id,
      time: `${formatTime(i.slot.startsAt)} to ${formatTime(i.slot.endsAt)}`,
      overlaps: i.slot.overlaps,
      pastEnd: i.slot.pastEnd,
      reference: i.reference,
      childName: i.childName,
      kind: kindName(i.kind, { capital: true }),
      by: `${i.submitted_by}, ${i.agency_name}`,
      bounceBack: i.bounce_back,
      possibleMatches: i.possibleMatches,
      declared: i.declarations.map((d) => `${d.name}, ${d.agency}: ${d.reason}`),
      late: i.late,
      decided: i.status === "decided",
      // Before the meeting the chair sorts each request: lists it, asks for more, or closes it with advice.
      toSort: agenda.mayChair && SORTING.includes(p.status) && i.status === "listed" && !i.sorted_at,
      invited: [...i.invitedAgencies, ...i.invitedPeople].join(", ") || "None",
    })),
    movable: agenda.movable.map((m) => ({
      value: String(m.id),
      label: `${m.reference} – ${kindName(m.kind)} from ${m.agency_name} (now on ${formatDate(m.meeting_date)})`,
    })),
    attendees: agenda.attendees
      .filter((a) => a.role !== "item")
      .map((a) => `${a.name} (${a.agency_name})${a.role === "chair" ? ", chair" : ""}`),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const panelId = idParam(params.panelId);
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values = { ...formValues(formData), intent };
  switch (intent) {
    case "move": {
      // The button says which item and which way: "12:up".
      const [itemId, direction] = String(formData.get("move") ?? "").split(":");
      const parsed = validate(moveItemSchema, { ...values, itemId, direction });
      if (!parsed.ok) throw badRequest("The form could not be read");
      await moveAgendaItem(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}#item-${parsed.data.itemId}`);
    }
    case "reorder": {
      const parsed = validate(reorderAgendaSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await reorderAgenda(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}?done=reordered`);
    }
    case "pull": {
      const parsed = validate(pullItemSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await pullItemOntoPanel(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}?done=added`);
    }
    case "start": {
      const parsed = validate(startMeetingSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await startMeeting(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting`);
    }
    case "details": {
      const today = todayIn(context);
      const parsed = validate(panelDetailsSchema(today), values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await changePanelDetails(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}?done=moved`);
    }
    case "send_agenda": {
      const parsed = validate(panelVersionSchema, values);
      if (!parsed.ok) throw badRequest("The form could not be read");
      await sendAgenda(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}?done=sent`);
    }
    case "cancel": {
      const parsed = validate(cancelPanelSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await cancelPanel(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}?done=cancelled`);
    }
    default:
      throw badRequest("Choose an action");
  }
}

const DONE: Record<string, string> = {
  added: "The request was added to this panel.",
  sent: "The agenda was sent: each person invited for an item was sent one invite for it. From now on only changes go out, to the people they affect.",
  cancelled: "The panel is cancelled. Its requests moved to the next panel and everyone invited was sent a cancellation.",
  listed: "The request is listed for this panel.",
  asked:
    "Your question was sent to the requester. The request leaves this agenda and goes on the next panel whose cut-off allows once they answer.",
  closed: "The request was closed with your advice. The requester was told the outcome, by reference only.",
  saved: "Agenda item saved. Once the agenda is sent, anyone whose slot changes is sent an updated invite.",
  moved: "The panel's details changed. Everyone invited was sent an updated invite.",
  declared: "Your interest was declared. The chair sees it beside the item; you take no part in its decision.",
  reordered: "The agenda's order was saved. Once the agenda is sent, anyone whose slot time changes is sent an updated invite.",
};

export default function PanelAgenda() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const csrf = useRouteLoaderData<{ csrfToken: string }>("root")?.csrfToken ?? "";
  const done = DONE[search.get("done") ?? ""];
  const detailsFailed = valueOf(failure?.values, "intent") === "details";
  const reorderFailed = valueOf(failure?.values, "intent") === "reorder";
  const openItems = data.items.filter((item) => !item.decided);
  const detailsValues = detailsFailed ? failure?.values : data.details;
  const runnable = data.mayChair && ["scheduled", "agenda_open", "agenda_closed"].includes(data.status);
  return (
    <>
      <ErrorSummary errors={failure?.errors} labels={{ itemId: "itemId", reason: "reason", earlyReason: "earlyReason" }} />
      {done ? <NotificationBanner>{done}</NotificationBanner> : null}
      <span className="govuk-caption-l">
        {data.statusLabel}
        {data.kind === "extraordinary" ? (
          <>
            {" "}
            <Tag colour="purple">Extraordinary</Tag>
          </>
        ) : null}
      </span>
      <h1 className="govuk-heading-l">{data.title}</h1>
      <SummaryList
        rows={[
          { key: "When", value: data.when + (data.movedFrom ? ` (moved from ${data.movedFrom}, a bank holiday)` : "") },
          ...(data.heldEarly ? [{ key: "Held early", value: `Planned for ${data.heldEarly.from}: ${data.heldEarly.reason}` }] : []),
          { key: "Where", value: data.venue ?? "Not set" },
          { key: "Online", value: <ExternalLink href={data.link} /> },
          { key: "Chair", value: data.chair ?? "Not set" },
          { key: "Referral cut-off", value: data.cutoff },
          ...(data.reason ? [{ key: "Why it was called", value: data.reason }] : []),
          ...(data.cancelledReason ? [{ key: "Cancelled because", value: data.cancelledReason }] : []),
          { key: "Core members", value: data.attendees.join("; ") || "None" },
        ]}
      />
      {data.wholePanel ? null : (
        <p className="govuk-body">
          {data.items.length === 1
            ? "You are invited for the item below only; the rest of the agenda is not shown to you."
            : `You are invited for the ${data.items.length} items below only; the rest of the agenda is not shown to you.`}
        </p>
      )}
      <p className="govuk-body">
        {[
          data.wholePanel && { href: `/panels/${data.id}/invite.ics`, text: "Download the calendar invite", download: true },
          Boolean(data.agendaSent || data.mayChair) && { href: `/panels/${data.id}/pack`, text: "Read the panel pack" },
          data.hasMinutes && { href: `/panels/${data.id}/minutes`, text: "Minutes" },
          data.mayChair && data.status === "in_session" && { href: `/panels/${data.id}/meeting`, text: "Go to the meeting" },
          DECLARING_STATES.includes(data.status) &&
            openItems.length > 0 && { href: `/panels/${data.id}/declare`, text: "Declare an interest in an item" },
          data.status === "in_session" && { href: `/panels/${data.id}/live`, text: "Follow the panel live" },
        ]
          .filter((link) => link !== false)
          .map((link, i) => (
            <Fragment key={link.href}>
              {i ? " · " : null}
              <a className="govuk-link" href={link.href} download={"download" in link ? true : undefined}>
                {link.text}
              </a>
            </Fragment>
          ))}
      </p>

      <h2 className="govuk-heading-m">Agenda</h2>
      {data.editable && !data.agendaSent ? (
        <div className="govuk-inset-text">
          <p className="govuk-body">
            Nobody invited for an item has been sent anything yet: order the agenda, set the slots and choose who is invited, then send it.
            Each person gets one invite for their item. If you do not send it, it goes by itself the day before the panel.
          </p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="send_agenda" />
            <input type="hidden" name="version" value={data.version} />
            <Button>Send the agenda</Button>
          </Form>
        </div>
      ) : data.editable && data.agendaSent ? (
        <p className="govuk-body">
          Agenda sent {data.agendaSent}. Changes now go to the people they affect.
          {data.packRead ? ` ${data.packRead}` : null}
        </p>
      ) : null}
      {data.items.length === 0 ? <p className="govuk-body">No requests on this panel yet.</p> : null}
      {data.items.some((i) => i.toSort) ? (
        <p className="govuk-body">
          {`${data.items.filter((i) => i.toSort).length} of ${data.items.length} requests to sort: for each, list it, ask the requester for more information, or close it with advice.`}
        </p>
      ) : null}
      {data.items.length ? (
        <Table
          caption="Agenda items in order"
          className="agenda-table"
          rows={data.items}
          rowKey={(item) => item.id}
          rowId={(item) => `item-${item.id}`}
          columns={[
            {
              header: "Time",
              cell: (item) => (
                <>
                  {item.time}
                  {item.overlaps ? <strong className="govuk-error-message govuk-!-margin-0">Overlaps the item before</strong> : null}
                  {item.pastEnd ? <strong className="govuk-error-message govuk-!-margin-0">Runs past the end</strong> : null}
                </>
              ),
            },
            {
              header: "Reference",
              cell: (item) => (
                <>
                  <a className="govuk-link" href={`/cases/${item.reference}`}>
                    {item.reference}
                  </a>
                  {item.childName ? <span className="govuk-body-s app-child-name">{item.childName}</span> : null}
                  {item.bounceBack ? (
                    <>
                      {" "}
                      <Tag colour="orange">Bounce back</Tag>
                    </>
                  ) : null}
                  {item.late ? (
                    <>
                      {" "}
                      <Tag colour="grey">Added late</Tag>
                    </>
                  ) : null}
                  <PossibleMatches matches={item.possibleMatches} />
                  {item.declared.map((d) => (
                    <span className="govuk-body-s app-child-name" key={d}>{`Interest declared: ${d}`}</span>
                  ))}
                  {item.decided ? (
                    <>
                      {" "}
                      <Tag colour="green">Decided</Tag>
                    </>
                  ) : null}
                  {item.toSort ? (
                    <>
                      {" "}
                      <Tag colour="blue">To sort</Tag>
                    </>
                  ) : null}
                </>
              ),
            },
            { header: "Request", cell: (item) => item.kind },
            { header: "Requested by", cell: (item) => item.by },
            { header: "Invited", cell: (item) => item.invited },
            ...(data.editable
              ? [
                  {
                    header: "Change",
                    cell: (item: (typeof data.items)[number], index: number) =>
                      !item.decided ? (
                        <div className="agenda-controls">
                          <a className="govuk-link" href={`/panels/${data.id}/items/${item.id}`}>
                            Edit<span className="govuk-visually-hidden"> slot for {item.reference}</span>
                          </a>
                          {item.toSort ? (
                            <a className="govuk-link" href={`/panels/${data.id}/items/${item.id}#sort`}>
                              Sort<span className="govuk-visually-hidden"> the request for {item.reference}</span>
                            </a>
                          ) : null}
                          <MoveButtons id={item.id} up={index > 0} down={index < data.items.length - 1} reference={item.reference} />
                        </div>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      ) : null}

      {data.editable ? (
        // The agenda's move buttons submit this form (a plain post and redirect, cheaper to render than sixty Remix forms).
        <form method="post" id="agenda-move">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="version" value={data.version} />
        </form>
      ) : null}

      {data.editable && openItems.length > 1 ? (
        <AgendaOrderForm version={data.version} items={openItems} failure={reorderFailed ? failure : undefined} />
      ) : null}

      {data.editable && data.movable.length ? (
        <Form method="post" noValidate className="govuk-!-margin-bottom-6">
          <CsrfInput />
          <input type="hidden" name="intent" value="pull" />
          <input type="hidden" name="version" value={data.version} />
          <Select
            name="itemId"
            label="Add a late request from a later panel"
            hint="Requests sent after the cut-off wait for the following panel unless you add them here."
            options={data.movable}
            placeholder="Choose a request"
            defaultValue={valueOf(failure?.values, "itemId")}
            error={failure?.errors.itemId}
          />
          <Button secondary>Add to this panel</Button>
        </Form>
      ) : null}

      {runnable ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="version" value={data.version} />
          {data.beforeItsDay ? (
            <Textarea
              name="earlyReason"
              label="Why is the panel starting before its date?"
              hint={`This panel is planned for ${data.when}. For example, "moved forward by agreement". The reason goes in the minutes, and everyone invited gets an updated calendar invite.`}
              rows={2}
              defaultValue={valueOf(failure?.values, "earlyReason")}
              error={failure?.errors.earlyReason}
            />
          ) : null}
          <Button>{data.beforeItsDay ? "Close the agenda and start the meeting early" : "Close the agenda and start the meeting"}</Button>
        </Form>
      ) : null}

      {runnable ? (
        <FoldedForm summary="Change the date, time or place" open={detailsFailed} hidden={{ intent: "details", version: data.version }}>
          <DateInput prefix="meeting" legend="Date" values={detailsValues} error={failure?.errors.meetingDay} />
          <TextInput
            name="startTime"
            label="Start time"
            hint="For example, 10:00 or 2pm"
            width="5"
            defaultValue={valueOf(detailsValues, "startTime")}
            error={failure?.errors.startTime}
          />
          <TextInput
            name="endTime"
            label="End time"
            width="5"
            defaultValue={valueOf(detailsValues, "endTime")}
            error={failure?.errors.endTime}
          />
          <TextInput name="venue" label="Venue" defaultValue={valueOf(detailsValues, "venue")} error={failure?.errors.venue} />
          <TextInput
            name="meetingLink"
            type="url"
            label="Virtual meeting link"
            defaultValue={valueOf(detailsValues, "meetingLink")}
            error={failure?.errors.meetingLink}
          />
          <Button secondary>Save and send updated invites</Button>
        </FoldedForm>
      ) : null}
      {runnable ? (
        <FoldedForm summary="Cancel this panel" open={Boolean(failure?.errors.reason)} hidden={{ intent: "cancel", version: data.version }}>
          <Textarea
            name="reason"
            label="Why is the panel cancelled?"
            hint="Everyone invited gets a cancellation; its requests move to the next panel."
            defaultValue={valueOf(failure?.values, "reason")}
            error={failure?.errors.reason}
          />
          <Button warning>Cancel the panel</Button>
        </FoldedForm>
      ) : null}
    </>
  );
}

/**
 * The row's buttons belong to the one move form beside the table (the form
 * attribute), each naming its item and direction: sixty rows carry no hidden
 * fields of their own.
 */
function MoveButtons({ id, up, down, reference }: { id: number; up: boolean; down: boolean; reference: string }) {
  return (
    <span className="agenda-move">
      {up ? (
        <button
          type="submit"
          form="agenda-move"
          name="move"
          value={`${id}:up`}
          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
        >
          Move up<span className="govuk-visually-hidden"> {reference}</span>
        </button>
      ) : null}
      {down ? (
        <button
          type="submit"
          form="agenda-move"
          name="move"
          value={`${id}:down`}
          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
        >
          Move down<span className="govuk-visually-hidden"> {reference}</span>
        </button>
      ) : null}
    </span>
  );
}
