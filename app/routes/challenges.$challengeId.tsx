import { CATEGORY_LABELS, RESOLUTION_LABELS, SERVICE_LABELS } from "../lib/labels";
import { DECISION_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FoldedForm } from "../components/folded-form";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Radios, SummaryList, Tag, Textarea, valueOf } from "../components/govuk";
import { challengeReasonSchema, challengeResolveSchema, challengeResponseSchema } from "../forms/challenge";
import { formatDateTime } from "../lib/dates";
import { formValues, validate, type FormValues } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay, badRequest } from "../services/authorise.server";
import {
  escalateChallenge,
  referChallengeToFrontDoor,
  resolveChallenge,
  respondToChallenge,
  viewChallenge,
  withdrawChallenge,
} from "../services/challenges.server";
import { challengeEventInWords } from "../lib/state-labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Challenge on ${data?.reference ?? "a case"} – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const view = await viewChallenge(context, actor, idParam(params.challengeId));
  const c = view.challenge;
  return json({
    id: c.id,
    version: c.version,
    reference: c.reference,
    state: view.stateLabel,
    open: view.mayAct,
    isRaiser: view.isRaiser,
    atLastStage: c.status === "stage5",
    overdue: c.overdue,
    deadline: c.deadline_at ? formatDateTime(c.deadline_at) : null,
    summary: {
      decision: DECISION_LABELS[c.decision_outcome as keyof typeof DECISION_LABELS] ?? c.decision_outcome,
      decidedAt: formatDateTime(c.decided_at),
      raisedBy: `${c.raiser_name}, ${c.raiser_agency}`,
      respondent: c.respondent_name,
      disagreement: c.disagreement,
      category: CATEGORY_LABELS[c.category],
      reason: c.reason,
      riskHolder: c.risk_holder,
      resolution: c.resolution ? RESOLUTION_LABELS[c.resolution as keyof typeof RESOLUTION_LABELS] : null,
      changedTo: c.changed_to ? SERVICE_LABELS[c.changed_to as keyof typeof SERVICE_LABELS] : null,
    },
    withManagers: view.withManagers,
    // Raising a challenge starts stage 1: one entry, not two (older challenges kept a separate "raised" row).
    events: view.events
      .filter((e) => !(e.event === "START" && view.events.some((o) => o.event === "RAISED")))
      .map((e) => ({
        id: e.id,
        at: formatDateTime(e.at),
        what: challengeEventInWords(e),
        by: e.actor_name,
        text: e.text,
      })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const id = idParam(params.challengeId);
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values: FormValues = { ...formValues(formData), intent };
  if (intent === "respond") {
    const parsed = validate(challengeResponseSchema, values);
    if (!parsed.ok) return formFailure(parsed.errors, values);
    await respondToChallenge(context, actor, id, parsed.data);
  } else if (intent === "resolve") {
    const parsed = validate(challengeResolveSchema, values);
    if (!parsed.ok) return formFailure(parsed.errors, values);
    await resolveChallenge(context, actor, id, parsed.data);
  } else if (intent === "escalate" || intent === "withdraw" || intent === "front_door") {
    // Each of these forms names its reason field after itself: ids on a page must be unique.
    const parsed = validate(challengeReasonSchema, { version: values.version, reason: values[`reason-${intent}`] });
    if (!parsed.ok) {
      return formFailure(
        Object.fromEntries(Object.entries(parsed.errors).map(([k, m]) => [k === "reason" ? `reason-${intent}` : k, m])),
        values,
      );
    }
    if (intent === "escalate") await escalateChallenge(context, actor, id, parsed.data);
    if (intent === "withdraw") await withdrawChallenge(context, actor, id, parsed.data);
    if (intent === "front_door") await referChallengeToFrontDoor(context, actor, id, parsed.data);
  } else {
    throw badRequest("Choose an action");
  }
  return redirect(`/challenges/${id}?done=${intent}`);
}

const DONE: Record<string, string> = {
  raised: "Challenge raised. The person who made the decision has been told and stage 1 has started.",
  respond: "Response added.",
  resolve: "Challenge resolved. Everyone involved has been told.",
  escalate: "Challenge escalated. The stage it reached has been told (see who it is with below) and its deadline has started.",
  withdraw: "Challenge withdrawn.",
  front_door: "The case was referred to the front door.",
};

export default function Challenge() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const done = DONE[search.get("done") ?? ""];
  const failedIntent = failure ? valueOf(failure.values, "intent") : "";
  const v = failure?.values;
  const e = failure?.errors ?? {};
  const reasonForm = (intent: string, summary: string, label: string, button: string, warning = false) => (
    <FoldedForm summary={summary} open={failedIntent === intent} hidden={{ intent, version: data.version }}>
      <Textarea
        name={`reason-${intent}`}
        label={label}
        defaultValue={failedIntent === intent ? valueOf(v, `reason-${intent}`) : ""}
        error={failedIntent === intent ? (e[`reason-${intent}`] ?? e.reason) : undefined}
      />
      <Button warning={warning} secondary={!warning}>
        {button}
      </Button>
    </FoldedForm>
  );
  return (
    <>
      <a href={`/cases/${data.reference}`} className="govuk-back-link">
        Back to case {data.reference}
      </a>
      <ErrorSummary errors={failure?.errors} />
      {done ? <NotificationBanner>{done}</NotificationBanner> : null}
      <span className="govuk-caption-l">
        {data.state} {data.overdue ? <Tag colour="red">Overdue</Tag> : null}
      </span>
      <h1 className="govuk-heading-l">Professional challenge on case {data.reference}</h1>
      <div className="govuk-inset-text">
        Risk held by <strong>{data.summary.riskHolder}</strong> until this is resolved.
        {data.deadline ? (
          <>
            {" "}
            Response due by <strong>{data.deadline}</strong>.
          </>
        ) : null}
      </div>
      <SummaryList
        rows={[
          { key: "Decision challenged", value: `${data.summary.decision}, ${data.summary.decidedAt}` },
          { key: "Raised by", value: data.summary.raisedBy },
          { key: "Decision made by", value: data.summary.respondent ?? "Not recorded" },
          ...(data.withManagers.length ? [{ key: "With", value: `${data.withManagers.join(", ")} (${data.state})` }] : []),
          { key: "Disagreement", value: data.summary.disagreement },
          { key: "About", value: data.summary.category },
          { key: "Why", value: data.summary.reason },
          ...(data.summary.resolution
            ? [
                {
                  key: "Outcome",
                  value: data.summary.resolution + (data.summary.changedTo ? `: case moved to ${data.summary.changedTo}` : ""),
                },
              ]
            : []),
        ]}
      />
      {data.open ? (
        <>
          <h2 className="govuk-heading-m">Respond or act</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="respond" />
            <Textarea
              name="text"
              label="Add a response"
              defaultValue={failedIntent === "respond" ? valueOf(v, "text") : ""}
              error={failedIntent === "respond" ? e.text : undefined}
            />
            <Button secondary>Add the response</Button>
          </Form>
          <FoldedForm
            summary="Resolve the challenge"
            open={failedIntent === "resolve"}
            hidden={{ intent: "resolve", version: data.version }}
          >
            <Radios
              name="resolution"
              legend="How was it resolved?"
              legendSize="s"
              options={Object.entries(RESOLUTION_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={failedIntent === "resolve" ? valueOf(v, "resolution") : ""}
              error={failedIntent === "resolve" ? e.resolution : undefined}
            />
            <Radios
              name="changedTo"
              legend="If the decision changed, where does the case go?"
              legendSize="s"
              options={Object.entries(SERVICE_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={failedIntent === "resolve" ? valueOf(v, "changedTo") : ""}
              error={failedIntent === "resolve" ? e.changedTo : undefined}
            />
            <Textarea
              name="reason"
              label="Reason"
              defaultValue={failedIntent === "resolve" ? valueOf(v, "reason") : ""}
              error={failedIntent === "resolve" ? e.reason : undefined}
            />
            <Button>Resolve</Button>
          </FoldedForm>
          {!data.atLastStage ? reasonForm("escalate", "Escalate to the next stage", "Why does it need the next stage?", "Escalate") : null}
          {data.isRaiser ? reasonForm("withdraw", "Withdraw the challenge", "Why are you withdrawing it?", "Withdraw") : null}
          {reasonForm(
            "front_door",
            "The child is at immediate risk of harm",
            "What is the immediate risk?",
            "Refer to the front door now",
            true,
          )}
        </>
      ) : null}
      <h2 className="govuk-heading-m">History</h2>
      <ul className="govuk-list">
        {data.events.map((ev) => (
          <li key={ev.id} className="govuk-!-margin-bottom-3">
            <strong>{ev.what}</strong> – {ev.at}
            {ev.by ? `, ${ev.by}` : ""}
            {ev.text ? <p className="govuk-body govuk-!-margin-0">{ev.text}</p> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
