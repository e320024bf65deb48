import { useEffect, useRef, useState } from "react";
import { ATTENDANCE_LABELS } from "../lib/labels";
import { PossibleMatches } from "../components/possible-matches";
import { DECISION_LABELS } from "../lib/labels";
import { outcomesIn } from "../../machines/case-journey/journey";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FoldedForm } from "../components/folded-form";
import { ChosenPersonField } from "../components/chosen-person";
import { requestAnswerRows } from "../lib/request-answers";
import {
  Button,
  CsrfInput,
  DateInput,
  ErrorSummary,
  NotificationBanner,
  Radios,
  Select,
  Tag,
  Textarea,
  TextInput,
  valueOf,
  SummaryList,
  Table,
} from "../components/govuk";
import {
  actionSchema,
  addAttendeeSchema,
  attendanceSchema,
  approveMinutesSchema,
  goAheadWithoutSchema,
  itemDecisionSchema,
  liveMoveSchema,
  panelVersionSchema,
} from "../forms/panel";
import { overrunMinutes, runningLine } from "../lib/live-estimate";
import { moveThroughAgenda } from "../services/live-panel.server";
import { datePartsOf, formatDate, formatTime, todayIn } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam, optionalIdQuery } from "../lib/params";
import { actorMay, badRequest } from "../services/authorise.server";
import {
  addAction,
  addAttendee,
  concludePanel,
  decideItem,
  goAheadWithout,
  recordAttendance,
  viewMeeting,
} from "../services/meeting.server";
import { approveLastMinutes } from "../services/minutes-approval.server";
import { kindName } from "../lib/request-kind";
import { goingAheadLabel, kindInWords } from "../lib/quorum";
import { packReadingFor, packReadSummary } from "../services/panel-pack.server";
import { RoomChecks } from "../components/room-checks";
import { DecisionSummary } from "../components/decision-summary";
import { PANEL_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Chairing: ${data?.title ?? "panel"} – Threshold` }];

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const view = await viewMeeting(context, actor, idParam(params.panelId), optionalIdQuery(new URL(request.url).searchParams.get("item")));
  const p = view.panel;
  const current = view.current;
  const decisionOf = new Map(view.decisions.map((d) => [d.agenda_item_id, d]));
  return json({
    id: p.id,
    title: `${p.area_name} ${p.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(p.meeting_date)}`,
    // Who came having read the pack, said at the start (and only then, so the items' pages do not read it).
    packRead: p.status === "in_session" && !view.live.started ? packReadSummary(await packReadingFor(context.db, p.id)) : null,
    status: p.status,
    statusLabel: PANEL_STATE_LABELS[p.status],
    version: p.version,
    lastMinutes: view.minutesToApprove
      ? {
          id: view.minutesToApprove.id,
          date: formatDate(view.minutesToApprove.meeting_date),
          published: view.minutesToApprove.status === "minutes_published",
        }
      : null,
    missing: view.missing,
    othersShort: view.othersShort,
    quorum: {
      quorate: view.quorum.quorate,
      needs: `${view.quorum.kinds.map(kindInWords).join(" and ") || "no particular agency"}${
        view.quorum.others ? `, plus ${view.quorum.others} other agenc${view.quorum.others === 1 ? "y" : "ies"}` : ""
      }`,
    },
    goingAheadWithout: Object.entries(p.going_ahead_without ?? {}).map(([kind, reason]) => ({
      label: goingAheadLabel(kind),
      reason,
    })),
    attendees: view.attendees.map((a) => ({
      id: a.id,
      name: `${a.name}${a.guest_role ? `, ${a.guest_role}` : ""}, ${a.agency_name}${
        a.role === "chair" ? " (chair)" : a.role === "item" ? " (for their items)" : a.role === "present" ? " (joined at the meeting)" : ""
      }`,
      attendance: a.attendance ?? "",
    })),
    items: view.items.map((i) => {
      const d = decisionOf.get(i.id);
      return {
        id: i.id,
        time: formatTime(i.slot.startsAt),
        reference: i.reference,
        childName: i.childName,
        kind: i.kind,
        // Only the decisions this case can take now: a step up's for a step-up request, a step down's for a step-down one.
        outcomes: outcomesIn(i.case_status).map((value) => ({ value, label: DECISION_LABELS[value] })),
        by: `${i.submitted_by}, ${i.agency_name}`,
        bounceBack: i.bounce_back,
        possibleMatches: i.possibleMatches,
        declared: i.declarations.map((d) => `${d.name}, ${d.agency} (${d.reason})`),
        caseVersion: i.case_version,
        decided: i.status === "decided",
        decision: d
          ? {
              id: d.id,
              outcome: DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome,
              reasons: d.reasons,
              discussion: d.discussion,
              riskHolder: d.risk_holder,
              lead: d.lead_practitioner,
              transfer: d.transfer_date ? formatDate(d.transfer_date) : null,
              review: d.review_date ? formatDate(d.review_date) : null,
              challenge: d.challenge,
            }
          : null,
        actions: view.actions
          .filter((a) => a.agenda_item_id === i.id)
          .map((a) => ({
            id: a.id,
            text: a.description,
            owner: `${a.owner_name}, ${a.owner_agency}`,
            due: formatDate(a.due_date),
            // A hand-over step the decision started, not one the chair added.
            handover: a.handover !== null,
          })),
      };
    }),
    currentId: current?.id ?? null,
    // An action is due in two weeks unless the chair says otherwise (the date is there to change).
    defaultDue: inTwoWeeks(todayIn(context)),
    // A step down's transfer meeting starts at the hand-over deadline: the chair changes it when it is arranged for another day.
    defaultTransfer: datePartsOf("transfer", view.transferBy),
    transferWithin: view.transferWithin,
    timer: itemTimer(view.live.items.find((i) => i.state === "current") ?? null, context.clock.now()),
    live: {
      line: runningLine(view.live),
      overrun: overrunMinutes(view.live),
      expectedEnd: formatTime(view.live.expectedEnd),
      started: view.live.started,
      currentId: view.live.currentId,
      hasDone: view.live.items.some((i) => i.state === "done"),
      hasNext: view.live.items.some((i) => i.state === "waiting" || i.state === "skipped"),
      items: Object.fromEntries(
        view.live.items.map((i) => [i.id, { number: i.number, state: i.state, time: formatTime(i.start), actual: i.actualMinutes }]),
      ),
    },
    // The request as its requester wrote it, in view while the chair decides.
    currentRequest: current && view.currentAnswers ? requestAnswerRows(current.kind, view.currentAnswers) : null,
    ...proposedLeadOf(current?.kind === "step_down" ? view.currentAnswers : null, view.owners),
    owners: view.owners.map((o) => ({ value: String(o.id), label: `${o.name}, ${o.agency_name}` })),
    agencies: view.agencies.map((a) => ({ value: String(a.id), label: a.name })),
    undecided: view.items.filter((i) => i.status === "listed").length,
  });
}

/** Two weeks after a date, as the due-date fields hold it. */
function inTwoWeeks(today: string): Record<string, string> {
  const due = new Date(Date.parse(`${today}T12:00:00Z`) + 14 * 24 * 60 * 60_000);
  return datePartsOf("due", due.toISOString().slice(0, 10));
}

/** The item under discussion: minutes used so far against its slot. */
function itemTimer(item: { id: number; start: Date; slotMinutes: number } | null, now: Date) {
  if (!item) return null;
  return {
    itemId: item.id,
    used: Math.max(0, Math.floor((now.getTime() - new Date(item.start).getTime()) / 60_000)),
    slot: item.slotMinutes,
  };
}

/**
 * The lead practitioner a step-down request proposed, chosen by default: the
 * person with that name in the area, or the request's words as a choice the
 * chair accepts or changes (never a half-filled contact).
 */
function proposedLeadOf(
  answers: Record<string, unknown> | null,
  people: Array<{ id: number; name: string }>,
): { proposedLead: string | null; leadDefaults: Record<string, string> | undefined } {
  const proposed = typeof answers?.proposedLead === "string" ? answers.proposedLead.trim() : "";
  if (!proposed) return { proposedLead: null, leadDefaults: undefined };
  const [name] = proposed.split(",").map((s) => s.trim());
  const user = people.find((p) => p.name.toLowerCase() === name.toLowerCase());
  return {
    proposedLead: proposed,
    leadDefaults: user ? { leadPractitioner: String(user.id) } : { leadPractitioner: "proposed" },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const panelId = idParam(params.panelId);
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values = { ...formValues(formData), intent };
  const today = todayIn(context);
  switch (intent) {
    case "attendance": {
      const version = validate(panelVersionSchema, values);
      const marks = validate(attendanceSchema, values);
      if (!version.ok) throw badRequest("The form could not be read");
      if (!marks.ok) return formFailure({ form: "Choose an attendance for each person" }, values);
      await recordAttendance(context, actor, panelId, version.data.version, marks.data);
      return redirect(`/panels/${panelId}/meeting?done=attendance`);
    }
    case "add_attendee": {
      const parsed = validate(addAttendeeSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await addAttendee(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting?done=added`);
    }
    case "go_ahead": {
      const parsed = validate(goAheadWithoutSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await goAheadWithout(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting?done=going_ahead`);
    }
    case "approve_minutes": {
      const parsed = validate(approveMinutesSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await approveLastMinutes(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting?done=minutes_approved`);
    }
    case "decide": {
      const parsed = validate(itemDecisionSchema(today), values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await decideItem(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting?item=${parsed.data.itemId}&done=decision`);
    }
    case "action": {
      const parsed = validate(actionSchema(today), values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      await addAction(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/meeting?item=${parsed.data.itemId}&done=action`);
    }
    case "live": {
      const parsed = validate(liveMoveSchema, values);
      if (!parsed.ok) throw badRequest("Choose a move");
      await moveThroughAgenda(context, actor, panelId, parsed.data);
      // Straight to the item now under discussion (the running order stays just above it).
      return redirect(`/panels/${panelId}/meeting#current-item`);
    }
    case "conclude": {
      const parsed = validate(panelVersionSchema, values);
      if (!parsed.ok) throw badRequest("The form could not be read");
      await concludePanel(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/minutes`);
    }
    default:
      throw badRequest("Choose an action");
  }
}

const DONE: Record<string, string> = {
  attendance: "Attendance saved.",
  added: "Added to the attendance as present.",
  going_ahead: "The reason for going ahead is recorded and will appear in the minutes.",
  minutes_approved: "The last panel's minutes are approved: their record says so, with the amendments and who approved them.",
  decision: "Decision recorded. The case has moved on and the requester has been told.",
  action: "Action added. Its owner has been emailed.",
};

/** The outcomes that hand a case to another service: they need a lead practitioner and a transfer date. */
const HANDS_OVER = ["step_down_agreed_early_help", "step_down_agreed_volunteer_support"];

export default function Meeting() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const done = DONE[search.get("done") ?? ""];
  const failedIntent = failure ? valueOf(failure.values, "intent") : "";
  const failedItem = failure ? Number(valueOf(failure.values, "itemId")) : null;
  const currentId = failedItem || data.currentId;
  const current = data.items.find((i) => i.id === currentId) ?? null;
  const inSession = data.status === "in_session";
  // What was typed and refused comes back only to the item it was sent for.
  const failedHere = Boolean(current && failedItem === current.id);
  const decideValues = failedHere && failedIntent === "decide" ? failure?.values : undefined;
  // The outcome chosen on this item's form (with JavaScript): fields no outcome of that kind needs fold away.
  const [picked, setPicked] = useState<{ itemId: number; outcome: string } | null>(null);
  const outcome = picked && picked.itemId === current?.id ? picked.outcome : valueOf(decideValues, "outcome");
  const asksLead = !outcome || HANDS_OVER.includes(outcome) || outcome === "step_up_agreed";
  const asksTransfer = !outcome || HANDS_OVER.includes(outcome);
  const decideErrors = failedHere && failedIntent === "decide" ? failure?.errors : undefined;
  const actionValues = failedHere && failedIntent === "action" ? failure?.values : undefined;
  const actionErrors = failedHere && failedIntent === "action" ? failure?.errors : undefined;
  const addValues = failedIntent === "add_attendee" ? failure?.values : undefined;
  // In session with an item under discussion, that item comes first: the whole list folds away below it.
  const oneItemAtATime = inSession && current !== null;
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The item shown and the item under discussion: a live move (Start, Next, Skip, Back) changes one or both.
  const shownKey = `${current?.id ?? ""}:${data.live.currentId ?? ""}`;
  const lastKey = useRef(shownKey);
  useEffect(() => {
    // Moving on takes focus to the item's heading, as a new page would (not when a form came back with errors).
    if (current && lastKey.current !== shownKey && !failure) headingRef.current?.focus();
    lastKey.current = shownKey;
  }, [shownKey, current, failure]);
  const itemsTable = (
    <Table
      caption="Items and their decisions"
      rows={data.items}
      rowKey={(i) => i.id}
      columns={[
        {
          header: "Time",
          cell: (i) => {
            const live = data.live.items[i.id];
            if (!inSession || !live || !data.live.started) return i.time;
            return live.state === "done" && live.actual !== null
              ? `${live.time} (took ${live.actual} min)`
              : `${live.time} (planned ${i.time})`;
          },
        },
        {
          header: "Reference",
          cell: (i) => (
            <>
              <a className="govuk-link" href={`/panels/${data.id}/meeting?item=${i.id}#current-item`}>
                {i.reference}
              </a>
              {i.childName ? <span className="govuk-body-s app-child-name">{i.childName}</span> : null}
              {i.bounceBack ? (
                <>
                  {" "}
                  <Tag colour="orange">Bounce back</Tag>
                </>
              ) : null}
              <PossibleMatches matches={i.possibleMatches} />
            </>
          ),
        },
        { header: "Request", cell: (i) => <>{kindName(i.kind, { capital: true })}</> },
        { header: "Decision", cell: (i) => (i.decision ? i.decision.outcome : <Tag colour="grey">To decide</Tag>) },
        ...(inSession
          ? [
              {
                header: "Now",
                cell: (i: (typeof data.items)[number]) =>
                  data.live.currentId === i.id ? (
                    <Tag colour="green">Under discussion</Tag>
                  ) : i.decided ? (
                    // A decided item is done: going back to it is "Back" or its link, not a fresh start.
                    <Tag colour="grey">Decided</Tag>
                  ) : (
                    // One form for the whole column (below the table): each button names its item.
                    <button
                      type="submit"
                      form="live-start"
                      name="itemId"
                      value={i.id}
                      className="govuk-button govuk-button--secondary live-move__small"
                      data-module="govuk-button"
                    >
                      Start<span className="govuk-visually-hidden">{` item ${i.reference}`}</span>
                    </button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
  return (
    <>
      <a href={`/panels/${data.id}`} className="govuk-back-link">
        Back to the agenda
      </a>
      <ErrorSummary
        errors={failure?.errors}
        labels={{ outcome: "outcome", transferDay: "transferDay", reviewDay: "reviewDay", dueDay: "dueDay" }}
      />
      {done ? <NotificationBanner>{done}</NotificationBanner> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half-from-desktop">
          <span className="govuk-caption-l">{data.statusLabel}</span>
          <h1 className="govuk-heading-l">Chairing: {data.title}</h1>
        </div>
        {inSession ? (
          <div className="govuk-grid-column-one-half-from-desktop">
            <section id="running-order" aria-labelledby="running-order-heading">
              <h2 className="govuk-heading-s govuk-!-margin-bottom-2" id="running-order-heading">
                Running order
              </h2>
              <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-2">{data.live.line}</p>
              {data.live.overrun > 0 ? (
                <p className="govuk-body">{`Expected to finish at ${data.live.expectedEnd}, ${data.live.overrun} minutes after the planned end.`}</p>
              ) : null}
              <div className="govuk-button-group govuk-!-margin-bottom-0">
                {data.live.hasNext || data.live.currentId ? (
                  <LiveButton
                    move="next"
                    label={data.live.currentId ? "Next item" : data.live.started ? "Start the next item" : "Start the first item"}
                  />
                ) : null}
                {data.live.currentId ? <LiveButton move="skip" label="Skip for now" secondary /> : null}
                {data.live.hasDone ? <LiveButton move="back" label="Previous item" secondary /> : null}
              </div>
              <p className="govuk-body-s">
                Everyone invited follows this on the{" "}
                <a className="govuk-link" href={`/panels/${data.id}/live`}>
                  live page
                </a>
                .
              </p>
            </section>
          </div>
        ) : null}
      </div>
      {!inSession ? <p className="govuk-body">This panel is not in session. Start it from the agenda page.</p> : null}
      {inSession && !data.live.started && data.packRead ? (
        <p className="govuk-body">
          {data.packRead}{" "}
          <a className="govuk-link" href={`/panels/${data.id}/pack`}>
            The pack
          </a>
        </p>
      ) : null}
      <RoomChecks
        inSession={inSession}
        started={data.live.started}
        version={data.version}
        missing={data.missing}
        othersShort={data.othersShort}
        quorum={data.quorum}
        lastMinutes={data.lastMinutes}
        goingAheadWithout={data.goingAheadWithout}
        failure={failure}
      />

      <details
        className="govuk-details"
        // Open until the first item starts with nobody's attendance recorded; folded once the items are under way.
        open={
          failedIntent === "attendance" ||
          failedIntent === "add_attendee" ||
          (!data.live.started && data.attendees.every((a) => !a.attendance))
        }
      >
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Attendance</span>
        </summary>
        <div className="govuk-details__text">
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="attendance" />
            <input type="hidden" name="version" value={data.version} />
            {data.attendees.map((a) => (
              <Radios
                key={a.id}
                name={`attendance-${a.id}`}
                legend={a.name}
                legendSize="s"
                inline
                defaultValue={valueOf(failedIntent === "attendance" ? failure?.values : undefined, `attendance-${a.id}`, a.attendance)}
                options={Object.entries(ATTENDANCE_LABELS).map(([value, label]) => ({ value, label }))}
              />
            ))}
            <Button secondary>Save attendance</Button>
          </Form>
          {inSession ? (
            <FoldedForm summary="Add someone who has joined" open={failedIntent === "add_attendee"} hidden={{ intent: "add_attendee" }}>
              <Select
                name="person"
                label="Who has joined"
                hint="Someone not invited who is taking part. Their agency counts as represented."
                placeholder="Choose the person"
                options={[...data.owners, { value: "guest", label: "Someone without an account: enter their details below" }]}
                defaultValue={valueOf(addValues, "person")}
                error={failure?.errors.person}
              />
              <TextInput
                name="guestName"
                label="Their full name (only for someone without an account)"
                defaultValue={valueOf(addValues, "guestName")}
                error={failure?.errors.guestName}
              />
              <TextInput
                name="guestRole"
                label="Their role"
                hint="For example, school nurse"
                defaultValue={valueOf(addValues, "guestRole")}
                error={failure?.errors.guestRole}
              />
              <Select
                name="guestAgencyId"
                label="Their agency"
                placeholder="Choose the agency"
                options={data.agencies}
                defaultValue={valueOf(addValues, "guestAgencyId")}
                error={failure?.errors.guestAgencyId}
              />
              <Radios
                name="joinedAs"
                legend="How they are taking part"
                legendSize="s"
                inline
                defaultValue={valueOf(addValues, "joinedAs", "in_person")}
                error={failure?.errors.joinedAs}
                options={[
                  { value: "in_person", label: ATTENDANCE_LABELS.in_person },
                  { value: "online", label: ATTENDANCE_LABELS.online },
                ]}
              />
              <Button secondary>Add to the attendance</Button>
            </FoldedForm>
          ) : null}
        </div>
      </details>

      {oneItemAtATime ? null : (
        <>
          <h2 className="govuk-heading-m">Items</h2>
          {itemsTable}
        </>
      )}

      {inSession ? (
        <Form method="post" id="live-start">
          <CsrfInput />
          <input type="hidden" name="intent" value="live" />
          <input type="hidden" name="move" value="start" />
        </Form>
      ) : null}

      {current ? (
        // Keyed by the item: moving to another item draws its forms afresh, so nothing typed for one child is left under the next.
        <section key={current.id} id="current-item" aria-labelledby="current-item-heading" className="govuk-!-margin-bottom-8">
          {current.childName ? <span className="govuk-caption-m">{current.childName}</span> : null}
          <h2 className="govuk-heading-m" id="current-item-heading" ref={headingRef} tabIndex={-1}>
            {current.reference}: {kindName(current.kind)} requested by {current.by}
          </h2>
          <p className="govuk-body">
            {data.timer && data.timer.itemId === current.id ? <ItemTimer used={data.timer.used} slot={data.timer.slot} /> : null}
            <a className="govuk-link" href={`/cases/${current.reference}`}>
              Open the case
            </a>{" "}
            (full details, shown only to people signed in who may see it)
          </p>
          {current.declared.length ? (
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {`Interest declared: ${current.declared.join("; ")}. They take no part in this item's decision.`}
              </strong>
            </div>
          ) : null}
          <div className="govuk-grid-row">
            {/* The request beside the decision on a wide screen, above it on a narrow one. */}
            <div className="govuk-grid-column-one-third-from-desktop app-item-request">
              {data.currentRequest && data.currentId === current.id ? (
                <details className="govuk-details" open>
                  <summary className="govuk-details__summary">
                    <span className="govuk-details__summary-text">What the requester wrote</span>
                  </summary>
                  <div className="govuk-details__text">
                    <SummaryList rows={data.currentRequest} />
                  </div>
                </details>
              ) : null}
            </div>
            <div className="govuk-grid-column-two-thirds-from-desktop app-item-decision">
              {current.decision ? (
                <DecisionSummary
                  decision={{
                    ...current.decision,
                    leadPractitioner: current.decision.lead,
                    transferDate: current.decision.transfer,
                    reviewDate: current.decision.review,
                  }}
                />
              ) : null}
              {current.decision && (inSession || data.status === "concluded") ? (
                <p className="govuk-body">
                  <a className="govuk-link" href={`/decisions/${current.decision.id}/correct`}>
                    Correct this decision<span className="govuk-visually-hidden"> on case {current.reference}</span>
                  </a>
                </p>
              ) : !current.decision && inSession ? (
                <Form method="post" noValidate>
                  {data.live.currentId && data.live.currentId !== current.id ? (
                    <div className="govuk-inset-text">
                      Another item is under discussion. Start this item from the running order before recording its decision.
                    </div>
                  ) : null}
                  <CsrfInput />
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="itemId" value={current.id} />
                  <input type="hidden" name="caseVersion" value={current.caseVersion} />
                  <div
                    onChange={(event) => {
                      const input = event.target as HTMLInputElement;
                      if (input.name === "outcome") setPicked({ itemId: current.id, outcome: input.value });
                    }}
                  >
                    <Radios
                      name="outcome"
                      legend="Decision"
                      defaultValue={valueOf(decideValues, "outcome")}
                      error={decideErrors?.outcome}
                      options={current.outcomes}
                    />
                  </div>
                  <Textarea
                    name="reasons"
                    maxLength={5000}
                    label="Reasons"
                    defaultValue={valueOf(decideValues, "reasons")}
                    error={decideErrors?.reasons}
                  />
                  <Textarea
                    name="discussion"
                    maxLength={5000}
                    label="Discussion summary (optional)"
                    defaultValue={valueOf(decideValues, "discussion")}
                    error={decideErrors?.discussion}
                  />
                  <ChosenPersonField
                    field="riskHolder"
                    label="Who holds the risk"
                    noun="Risk holder"
                    people={data.owners}
                    values={decideValues}
                    errors={decideErrors}
                  />
                  <fieldset className="govuk-fieldset" disabled={!asksLead} hidden={!asksLead}>
                    <ChosenPersonField
                      field="leadPractitioner"
                      label="Lead practitioner (required for a step down)"
                      noun="Lead practitioner"
                      hint={data.proposedLead ? `Proposed in the request: ${data.proposedLead}` : undefined}
                      proposed={data.leadDefaults?.leadPractitioner === "proposed" ? data.proposedLead : null}
                      people={data.owners}
                      values={decideValues}
                      errors={decideErrors}
                      defaults={data.leadDefaults}
                    />
                  </fieldset>
                  <fieldset className="govuk-fieldset" disabled={!asksTransfer} hidden={!asksTransfer}>
                    <DateInput
                      prefix="transfer"
                      legend="Transfer meeting or joint visit date (required for a step down)"
                      hint={`Within ${data.transferWithin} working days of the panel, filled in with the last of them. Change it when the meeting is arranged for another day.`}
                      values={decideValues ?? data.defaultTransfer}
                      error={decideErrors?.transferDay}
                    />
                  </fieldset>
                  <DateInput
                    prefix="review"
                    legend="Team Around the Family review date (optional)"
                    values={decideValues}
                    error={decideErrors?.reviewDay}
                  />
                  <Textarea
                    name="challenge"
                    label="Professional challenge raised (optional)"
                    hint="Who disagrees and why. Escalation is handled separately."
                    defaultValue={valueOf(decideValues, "challenge")}
                    error={decideErrors?.challenge}
                  />
                  <Button>Record the decision</Button>
                </Form>
              ) : null}

              <h3 className="govuk-heading-s">Actions</h3>
              {current.actions.length ? (
                <ul className="govuk-list govuk-list--bullet">
                  {current.actions.map((a) => (
                    <li key={a.id}>
                      {a.text} – <strong>{a.owner}</strong>, due {a.due}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="govuk-body">No actions yet.</p>
              )}
              {inSession ? (
                <FoldedForm
                  summary="Add an action"
                  // Open until the chair has added one: the hand-over's own actions do not fold it away.
                  open={Boolean(actionErrors) || current.actions.every((a) => a.handover)}
                  hidden={{ intent: "action", itemId: current.id }}
                >
                  <Textarea
                    name="description"
                    maxLength={1000}
                    label="What needs to be done"
                    hint="Use the case reference, never the child's name: this text is emailed to the owner."
                    defaultValue={valueOf(actionValues, "description")}
                    error={actionErrors?.description}
                  />
                  <Select
                    name="owner"
                    label="Owner"
                    hint="Every action has exactly one owner."
                    placeholder="Choose the owner"
                    options={[...data.owners, { value: "new", label: "Someone new: invite them by email" }]}
                    defaultValue={valueOf(actionValues, "owner")}
                    error={actionErrors?.owner}
                  />
                  <TextInput
                    name="newOwnerName"
                    label="New owner's full name (only for someone new)"
                    defaultValue={valueOf(actionValues, "newOwnerName")}
                    error={actionErrors?.newOwnerName}
                  />
                  <TextInput
                    name="newOwnerEmail"
                    type="email"
                    label="New owner's email address"
                    defaultValue={valueOf(actionValues, "newOwnerEmail")}
                    error={actionErrors?.newOwnerEmail}
                  />
                  <Select
                    name="newOwnerAgencyId"
                    label="New owner's agency"
                    placeholder="Choose the agency"
                    options={data.agencies}
                    defaultValue={valueOf(actionValues, "newOwnerAgencyId")}
                    error={actionErrors?.newOwnerAgencyId}
                  />
                  <DateInput
                    prefix="due"
                    legend="Due date"
                    hint="Two weeks from today unless you change it. For example, 4 12 2026"
                    values={actionValues ?? data.defaultDue}
                    error={actionErrors?.dueDay}
                  />
                  <Button secondary>Add the action</Button>
                </FoldedForm>
              ) : null}
            </div>
          </div>
        </section>
      ) : null}

      {oneItemAtATime ? (
        <details className="govuk-details" id="all-items">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">{`All ${data.items.length} items and their decisions`}</span>
          </summary>
          <div className="govuk-details__text">{itemsTable}</div>
        </details>
      ) : null}

      {inSession ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="conclude" />
          <input type="hidden" name="version" value={data.version} />
          <p className="govuk-body">
            {data.undecided ? `${data.undecided} item${data.undecided === 1 ? "" : "s"} still to decide.` : "Every item has a decision."}
          </p>
          <Button>Conclude the panel and draft the minutes</Button>
        </Form>
      ) : null}
    </>
  );
}

/**
 * Minutes used on the item against its slot: from the server when the page is
 * drawn, then counted on in the browser every 15 seconds.
 */
function ItemTimer(props: { used: number; slot: number }) {
  const [used, setUsed] = useState(props.used);
  useEffect(() => {
    const loaded = Date.now();
    setUsed(props.used);
    const timer = setInterval(() => setUsed(props.used + Math.floor((Date.now() - loaded) / 60_000)), 15_000);
    return () => clearInterval(timer);
  }, [props.used]);
  const over = used > props.slot;
  return (
    <span className="app-item-timer" role="timer" aria-live="off">
      <strong className={`govuk-tag ${over ? "govuk-tag--red" : "govuk-tag--blue"}`}>{`${used} of ${props.slot} minutes`}</strong>
      {over ? ` ${used - props.slot} minutes over its slot. ` : " used on this item. "}
    </span>
  );
}

/** One click to move through the agenda live. */
function LiveButton(props: { move: string; label: string; secondary?: boolean }) {
  return (
    <Form method="post" className="live-move">
      <CsrfInput />
      <input type="hidden" name="intent" value="live" />
      <input type="hidden" name="move" value={props.move} />
      <button type="submit" className={`govuk-button${props.secondary ? " govuk-button--secondary" : ""}`} data-module="govuk-button">
        {props.label}
      </button>
    </Form>
  );
}
