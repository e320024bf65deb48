import { ENGAGEMENT_LABELS, FAMILY_TOLD_LABELS } from "../lib/labels";
import { auditActionInWords, CHALLENGE_STATE_LABELS, challengeEventInWords } from "../lib/state-labels";
import type { ChallengeState } from "../../machines/challenge/challenge.machine";
import { DECISION_LABELS } from "../lib/labels";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requestAnswerRows } from "../components/request-answers";
import { SummaryList, Table } from "../components/govuk";
import { formatDate, formatDateTime } from "../lib/dates";
import { statusLabel } from "../services/case-journey.server";
import { actorMay } from "../services/authorise.server";
import { subjectAccessRecord } from "../services/subject-access.server";

export const meta: MetaFunction = () => [{ title: "Subject access record – Threshold" }];

const outcome = (o: string) => DECISION_LABELS[o as keyof typeof DECISION_LABELS] ?? o;

/** One readable document of everything held about a child, to print or save as PDF for a subject access request. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const r = await subjectAccessRecord(context, actor, params.reference ?? "");
  const c = r.case;
  return json({
    reference: c.reference,
    madeAt: formatDateTime(r.madeAt),
    madeBy: actor.user.name,
    details: [
      { key: "Reference", value: c.reference },
      { key: "Area", value: c.area_name },
      { key: "Where the family is supported", value: statusLabel(c.status) },
      { key: "Child", value: [c.child_first_name, c.child_last_name].filter(Boolean).join(" ") || "Not held" },
      { key: "Date of birth", value: c.child_date_of_birth ? formatDate(c.child_date_of_birth) : "Not held" },
      { key: "Address", value: c.child_address ?? "Not held" },
      { key: "Sibling group", value: c.siblings ?? "Not held" },
      { key: "Who holds the risk", value: c.risk_holder ?? "Not held" },
      { key: "Lead practitioner", value: c.lead_practitioner ?? "Not held" },
      { key: "Agencies involved", value: r.agencies.map((a) => a.name).join(", ") || "None" },
    ],
    history: r.transitions.map((t) => ({
      at: formatDateTime(t.at),
      change: t.from_status ? `${statusLabel(t.from_status)} → ${statusLabel(t.to_status)}` : `Started in ${statusLabel(t.to_status)}`,
      reason: t.reason ?? "",
    })),
    requests: r.requests.map((q) => ({
      id: q.id,
      title: `${q.kind === "step_up" ? "Step-up" : "Step-down"} request by ${q.submitted_by}, ${q.agency_name}`,
      sent: q.submitted_at ? formatDateTime(q.submitted_at) : "Not sent",
      rows: requestAnswerRows(q.kind, (q.answers ?? {}) as Record<string, unknown>),
    })),
    decisions: r.decisions.map((d) => ({
      id: d.id,
      rows: [
        { key: "Decided", value: formatDateTime(d.decided_at) },
        { key: "Outcome", value: outcome(d.outcome) },
        { key: "Reasons", value: d.reasons },
        { key: "Who holds the risk", value: d.risk_holder },
        ...(d.discussion ? [{ key: "Discussion", value: d.discussion }] : []),
        ...(d.correction_reason ? [{ key: "Corrected because", value: d.correction_reason }] : []),
      ],
    })),
    extracts: r.extracts.map((e) => ({
      key: `${e.panelId}-${e.item.decisionId ?? e.item.outcome}`,
      title: `${e.areaName} ${e.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(e.meetingDate)}`,
      rows: [
        { key: "Outcome", value: outcome(e.item.outcome) },
        { key: "Reasons", value: e.item.reasons },
        ...(e.item.discussion ? [{ key: "Discussion", value: e.item.discussion }] : []),
      ],
    })),
    actions: r.actions.map((a) => ({
      id: a.id,
      description: a.description,
      owner: a.owner_name,
      due: formatDate(a.due_date),
      status: a.status === "done" ? `Done${a.done_note ? `: ${a.done_note}` : ""}` : "Open",
    })),
    familyTold: r.familyTold.map((t) => ({
      id: t.id,
      on: formatDate(t.told_on),
      how: FAMILY_TOLD_LABELS[t.method],
      by: t.told_by,
      response: t.response ?? "",
    })),
    reviews: r.reviews.map((v) => ({ id: v.id, on: formatDate(v.reviewed_on), outcome: ENGAGEMENT_LABELS[v.outcome], found: v.reason })),
    letters: r.letters.map((l) => ({
      id: l.id,
      rows: [
        { key: "Written", value: `${formatDateTime(l.written_at)} by ${l.written_by}` },
        { key: "Reviewed", value: l.reviewed_at ? `${formatDateTime(l.reviewed_at)} by ${l.reviewed_by}` : "Not yet" },
        { key: "The letter", value: l.body },
      ],
    })),
    challenges: r.challenges.map((ch) => ({
      id: ch.id,
      rows: [
        { key: "Raised", value: formatDateTime(ch.created_at) },
        { key: "Disagreement", value: ch.disagreement },
        { key: "Reason", value: ch.reason },
        { key: "Status", value: CHALLENGE_STATE_LABELS[ch.status as ChallengeState] ?? ch.status },
        ...ch.events.map((e) => ({ key: formatDateTime(e.at), value: [challengeEventInWords(e), e.text].filter(Boolean).join(": ") })),
      ],
    })),
    emails: r.emails.map((e) => ({
      id: e.id,
      written: formatDateTime(e.created_at),
      to: e.recipient,
      subject: e.subject,
      status: e.status,
    })),
    viewed: r.viewed.map((v, i) => ({
      i,
      at: formatDateTime(v.at),
      who: v.actor_name ?? "The service",
      action: auditActionInWords(v.action),
    })),
  });
}

export default function SubjectAccess() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">Subject access record</span>
      <h1 className="govuk-heading-l">{`Everything held about case ${d.reference}`}</h1>
      <p className="govuk-body">
        Made {d.madeAt} by {d.madeBy}. This page is recorded in the audit trail. Print it or save it as a PDF from your browser.
      </p>
      <h2 className="govuk-heading-m">The case</h2>
      <SummaryList rows={d.details} />
      <h2 className="govuk-heading-m">History</h2>
      <Table
        caption="Changes to where the family is supported"
        rows={d.history}
        rowKey={(_, i) => i}
        columns={[
          { header: "When", cell: (h) => h.at },
          { header: "Change", cell: (h) => h.change },
          { header: "Reason", cell: (h) => h.reason },
        ]}
      />
      <h2 className="govuk-heading-m">Requests ({d.requests.length})</h2>
      {d.requests.map((q) => (
        <section key={q.id}>
          <h3 className="govuk-heading-s">{`${q.title}, sent ${q.sent}`}</h3>
          <SummaryList rows={q.rows} />
        </section>
      ))}
      <h2 className="govuk-heading-m">Decisions ({d.decisions.length})</h2>
      {d.decisions.map((x) => (
        <SummaryList key={x.id} rows={x.rows} />
      ))}
      <h2 className="govuk-heading-m">From the minutes ({d.extracts.length})</h2>
      {d.extracts.map((e) => (
        <section key={e.key}>
          <h3 className="govuk-heading-s">{e.title}</h3>
          <SummaryList rows={e.rows} />
        </section>
      ))}
      <h2 className="govuk-heading-m">Actions ({d.actions.length})</h2>
      <Table
        caption="Actions about the case"
        rows={d.actions}
        rowKey={(a) => a.id}
        columns={[
          { header: "Action", cell: (a) => a.description },
          { header: "Owner", cell: (a) => a.owner },
          { header: "Due", cell: (a) => a.due },
          { header: "Status", cell: (a) => a.status },
        ]}
      />
      <h2 className="govuk-heading-m">{`What the family was told (${d.familyTold.length})`}</h2>
      <Table
        caption="Each time the family was told of a decision"
        rows={d.familyTold}
        rowKey={(t) => t.id}
        columns={[
          { header: "When", cell: (t) => t.on },
          { header: "How", cell: (t) => t.how },
          { header: "By", cell: (t) => t.by },
          { header: "What the family said", cell: (t) => t.response },
        ]}
      />
      <h2 className="govuk-heading-m">{`Reviews after a step down (${d.reviews.length})`}</h2>
      <Table
        caption="How the family engaged, as each review found"
        rows={d.reviews}
        rowKey={(v) => v.id}
        columns={[
          { header: "Review", cell: (v) => v.on },
          { header: "How the family engaged", cell: (v) => v.outcome },
          { header: "What the review found", cell: (v) => v.found },
        ]}
      />
      <h2 className="govuk-heading-m">{`Letters to the family (${d.letters.length})`}</h2>
      {d.letters.map((l) => (
        <SummaryList key={l.id} rows={l.rows} />
      ))}
      <h2 className="govuk-heading-m">Challenges ({d.challenges.length})</h2>
      {d.challenges.map((ch) => (
        <SummaryList key={ch.id} rows={ch.rows} />
      ))}
      <h2 className="govuk-heading-m">Emails written about the case ({d.emails.length})</h2>
      <Table
        caption="Emails"
        rows={d.emails}
        rowKey={(e) => e.id}
        columns={[
          { header: "Written", cell: (e) => e.written },
          { header: "To", cell: (e) => e.to },
          { header: "Subject", cell: (e) => e.subject },
          { header: "Status", cell: (e) => e.status },
        ]}
      />
      <h2 className="govuk-heading-m">Who has seen or changed the case ({d.viewed.length})</h2>
      <Table
        caption="Audit of the case"
        rows={d.viewed}
        rowKey={(v) => v.i}
        columns={[
          { header: "When", cell: (v) => v.at },
          { header: "Who", cell: (v) => v.who },
          { header: "What", cell: (v) => v.action },
        ]}
      />
    </>
  );
}
