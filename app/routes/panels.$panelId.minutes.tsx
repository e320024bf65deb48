import { ATTENDANCE_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, SummaryList, Table } from "../components/govuk";
import { ExternalLink } from "../components/external-link";
import { panelVersionSchema } from "../forms/panel";
import { formatDate, formatTime } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay, badRequest } from "../services/authorise.server";
import { publishMinutes, viewMinutes } from "../services/minutes.server";
import { kindName } from "../lib/request-kind";
import { DecisionSummary } from "../components/decision-summary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Minutes: ${data?.title ?? "panel"} – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const { panel, minutes, mayPublish } = await viewMinutes(context, actor, idParam(params.panelId));
  return json({
    id: panel.id,
    version: panel.version,
    published: panel.status === "minutes_published",
    approval: panel.minutes_approval
      ? {
          at: formatDate(panel.minutes_approval.atMeetingDate),
          by: panel.minutes_approval.approvers.join("; "),
          amendments: panel.minutes_approval.amendments,
        }
      : null,
    mayPublish,
    partial: minutes.partial,
    title: `${minutes.areaName} ${minutes.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(minutes.meetingDate)}`,
    // The times it was held, then the times it was planned for.
    when:
      minutes.startedAt && minutes.endedAt
        ? `${formatDate(minutes.meetingDate)}, ${formatTime(minutes.startedAt)} to ${formatTime(minutes.endedAt)} (planned for ${formatTime(minutes.startsAt)} to ${formatTime(minutes.endsAt)})`
        : `${formatDate(minutes.meetingDate)}, ${formatTime(minutes.startsAt)} to ${formatTime(minutes.endsAt)}`,
    // The chair reviewing the draft corrects a decision from here (the correction shows in these minutes).
    mayCorrect: mayPublish,
    chair: minutes.chair,
    heldEarly: minutes.heldEarly ? { plannedFor: formatDate(minutes.heldEarly.plannedFor), reason: minutes.heldEarly.reason } : null,
    goingAheadWithout: minutes.goingAheadWithout ?? [],
    quorate: minutes.quorate ?? null,
    venue: panel.venue,
    link: panel.meeting_link,
    attendance: minutes.attendance.map((a) => ({
      ...a,
      attendance: ATTENDANCE_LABELS[a.attendance as keyof typeof ATTENDANCE_LABELS] ?? "Not recorded",
    })),
    items: minutes.items.map((i) => ({
      ...i,
      transferDate: i.transferDate ? formatDate(i.transferDate) : null,
      reviewDate: i.reviewDate ? formatDate(i.reviewDate) : null,
      actions: i.actions.map((a) => ({ ...a, dueDate: formatDate(a.dueDate) })),
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const panelId = idParam(params.panelId);
  const values = formValues(await readForm(request, context));
  const parsed = validate(panelVersionSchema, values);
  if (!parsed.ok) throw badRequest("The form could not be read");
  await publishMinutes(context, actor, panelId, parsed.data);
  return redirect(`/panels/${panelId}/minutes?done=published`);
}

export default function Minutes() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  return (
    <div className="minutes">
      <a href={`/panels/${data.id}`} className="govuk-back-link no-print">
        Back to the panel
      </a>
      <ErrorSummary errors={failure?.errors} />
      {search.get("done") === "published" ? (
        <NotificationBanner>The minutes are published and everyone invited has been emailed a link.</NotificationBanner>
      ) : null}
      <span className="govuk-caption-l">{data.published ? "Minutes" : "Draft minutes: review, then publish"}</span>
      <h1 className="govuk-heading-l">{data.title}</h1>
      <p className="govuk-body">
        {data.when}. Chair: {data.chair ?? "not recorded"}.
      </p>
      {data.approval ? (
        <div className="govuk-inset-text">
          {`Approved at the panel on ${data.approval.at} by the core members present: ${data.approval.by}.`}
          {data.approval.amendments ? ` Amendments agreed: ${data.approval.amendments}` : " No amendments."}
        </div>
      ) : data.published ? (
        <p className="govuk-body">These minutes are approved by the core members at the area&apos;s next panel.</p>
      ) : null}
      <SummaryList
        rows={[
          { key: "Where", value: data.venue ?? "Not recorded" },
          { key: "Online", value: <ExternalLink href={data.link} /> },
          ...(data.heldEarly ? [{ key: "Held early", value: `Planned for ${data.heldEarly.plannedFor}: ${data.heldEarly.reason}` }] : []),
          ...(data.quorate === null
            ? []
            : [
                {
                  key: "Quorum",
                  value: data.quorate
                    ? "Quorate"
                    : data.goingAheadWithout.length
                      ? "Not quorate: the panel went ahead for the reasons below"
                      : "Not quorate, and no reason was recorded for going ahead",
                },
              ]),
          ...data.goingAheadWithout.map((g) => ({ key: `Without ${g.agency}`, value: g.reason })),
        ]}
      />
      <p className="govuk-body no-print">
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => window.print()}>
          Print or save as PDF
        </button>
      </p>
      <h2 className="govuk-heading-m">Attendance</h2>
      <ul className="govuk-list">
        {data.attendance.map((a) => (
          <li key={a.name}>
            {a.name}, {a.agency}: {a.attendance}
            {a.joined ? " (joined at the meeting)" : ""}
          </li>
        ))}
      </ul>
      <h2 className="govuk-heading-m">Decisions and actions</h2>
      {data.partial ? (
        <p className="govuk-body">
          These are the minutes for the item you were invited to discuss; the rest of the panel&apos;s business is not shown to you.
        </p>
      ) : null}
      {data.items.map((i) => (
        <section className="minutes-item" key={i.reference} aria-label={`Case ${i.reference}`}>
          <h3 className="govuk-heading-s">
            {i.reference}: {kindName(i.kind)}
          </h3>
          <DecisionSummary decision={i} noBorder />
          {(i.declarations ?? []).map((d) => (
            <p
              className="govuk-body"
              key={d.name}
            >{`${d.name}, ${d.agency}, declared an interest (${d.reason}) and took no part in the decision.`}</p>
          ))}
          {i.correction ? (
            <p className="govuk-body">
              <strong>Corrected</strong> (it was first recorded as &ldquo;{i.correction.previousOutcome}&rdquo;): {i.correction.reason}
            </p>
          ) : null}
          {data.mayCorrect && i.decisionId ? (
            <p className="govuk-body no-print">
              <a className="govuk-link" href={`/decisions/${i.decisionId}/correct`}>
                Correct this decision<span className="govuk-visually-hidden"> on case {i.reference}</span>
              </a>
            </p>
          ) : null}
          {data.published ? (
            <p className="govuk-body no-print">
              <a className="govuk-link" href={`/cases/${i.reference}/challenge${i.decisionId ? `?decision=${i.decisionId}` : ""}`}>
                Challenge this decision<span className="govuk-visually-hidden"> on case {i.reference}</span>
              </a>
            </p>
          ) : null}
          {i.actions.length ? (
            <Table
              caption={`Actions for ${i.reference}`}
              captionSize="s"
              rows={i.actions}
              rowKey={(_a, n) => n}
              columns={[
                { header: "Action", cell: (a) => a.description },
                { header: "Owner", cell: (a) => `${a.owner}, ${a.agency}` },
                { header: "Due", cell: (a) => a.dueDate },
              ]}
            />
          ) : (
            <p className="govuk-body">No actions.</p>
          )}
        </section>
      ))}
      {data.mayPublish ? (
        <Form method="post" noValidate className="no-print">
          <CsrfInput />
          <input type="hidden" name="version" value={data.version} />
          <Button>Publish the minutes</Button>
        </Form>
      ) : null}
    </div>
  );
}
