import { FAMILY_TOLD_LABELS } from "../lib/labels";
import { formatNhsNumber } from "../../domain/nhs-number";
import { DECISION_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FoldedForm } from "../components/folded-form";
import { ChosenPersonField } from "../components/chosen-person";
import { mayCorrect } from "../services/decision-correction.server";
import { requestAnswerRows } from "../lib/request-answers";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Radios, SummaryList, Tag, Textarea, valueOf } from "../components/govuk";
import { caseActionSchema, decisionSchema } from "../forms/case";
import { formatDate, formatDateTime } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { actorOf, badRequest } from "../services/authorise.server";
import { isStepDownAgreed } from "../services/handover.server";
import { statusLabel } from "../services/case-journey.server";
import { actOnCase, allowedActions, recordDecision, viewCase } from "../services/cases.server";
import { isOpen, type ChallengeState } from "../../machines/challenge/challenge.machine";
import { kindName, kindAdjective } from "../lib/request-kind";
import { may } from "../lib/policy";
import { CHALLENGE_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Case ${data?.reference ?? ""} – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const view = await viewCase(context, actor, params.reference ?? "");
  const c = view.case;
  const open = view.requests.find((r) => r.status === "awaiting_panel") ?? null;
  const timeline = view.timeline.map((e) => ({ ...e, at: formatDateTime(e.at) }));
  return json({
    reference: c.reference,
    version: c.version,
    status: c.status,
    state: statusLabel(c.status),
    area: c.area_name,
    child: {
      name: [c.child_first_name, c.child_last_name].filter(Boolean).join(" ") || "Not recorded",
      dob: c.child_date_of_birth ? formatDate(c.child_date_of_birth) : "Not recorded",
      address: c.child_address ?? "Not recorded",
      nhsNumber: c.nhs_number ? formatNhsNumber(c.nhs_number) : null,
      caseSystemId: c.case_system_id,
      siblings: c.siblings,
    },
    riskHolder: c.risk_holder,
    leadPractitioner: c.lead_practitioner,
    agencies: view.agencies.map((a) => a.name),
    open: open
      ? {
          id: open.id,
          kind: open.kind,
          by: open.submitted_by,
          agency: open.agency_name,
          bounceBack: open.bounce_back,
          placement: view.placement!,
        }
      : null,
    actions: allowedActions(actor, { areaId: c.area_id, submittedOpenRequest: open?.submitted_by_user_id === actor.user.id }),
    people: view.people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
    // What the standing decision means now, in words: who does what by when.
    // A case closed since (not by the panel signposting it) has nothing next.
    nextSteps: c.status === "closed" && view.standing?.outcome !== "signposted" ? null : nextStepsOf(view.standing ?? undefined),
    mayChallenge: view.decisions.length > 0 && may(actor.user, "takePart"),
    mayExport: may(actor.user, "managePanels"),
    // Each decision, newest first; a corrected one says so. Managers may open the correction form (the service says whether they may correct it).
    decisions: view.decisions.map((d) => ({
      id: d.id,
      outcome: DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome,
      at: formatDateTime(d.decided_at),
      by: d.decided_by,
      corrected: d.superseded_by_decision_id !== null,
      // Offered only to whoever may correct it now (the chair before publication, then a service manager).
      mayCorrect: mayCorrect(actor, {
        area_id: c.area_id,
        panel_id: d.panel_id,
        panel_status: d.panel_status,
        panel_chair_user_id: d.panel_chair_user_id,
      }),
      correctionReason: d.correction_reason,
    })),
    // An agreed step down is reviewed 6 to 12 weeks on: did the family engage?
    stepDown: isStepDownAgreed(view.standing?.outcome ?? ""),
    // After an agreed step up or step down the receiving service names the lead practitioner.
    handedOver: view.standing?.outcome === "step_up_agreed" || isStepDownAgreed(view.standing?.outcome ?? ""),
    supervisor: view.supervisor,
    familyTold: view.familyTold
      ? `${FAMILY_TOLD_LABELS[view.familyTold.method]}, ${formatDate(view.familyTold.told_on)}, by ${view.familyTold.told_by}`
      : null,
    challenges: view.challenges.map((ch) => ({
      id: ch.id,
      state: CHALLENGE_STATE_LABELS[ch.status as ChallengeState],
      open: isOpen(ch.status as ChallengeState),
      overdue: ch.overdue,
      riskHolder: ch.risk_holder,
      by: `${ch.raiser_name}, ${ch.raiser_agency}`,
      deadline: ch.deadline_at ? formatDateTime(ch.deadline_at) : null,
    })),
    caseActions: view.actions.map((a) => ({
      id: a.id,
      text: a.description,
      owner: a.owner_name,
      due: formatDate(a.due_date),
      done: a.status === "done",
      note: a.done_note,
    })),
    timeline,
    // What each requester wrote, newest first, in the question pages' words.
    requests: view.requests.map((r) => ({
      id: r.id,
      title: `${kindAdjective(r.kind, { capital: true })} request from ${r.submitted_by}, ${r.agency_name}${r.submitted_at ? `, ${formatDate(r.submitted_at)}` : ""}`,
      open: r.status === "awaiting_panel",
      rows: requestAnswerRows(r.kind, (r.answers ?? {}) as Record<string, unknown>),
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const reference = params.reference ?? "";
  const formData = await readForm(request, context);
  const intent = formData.get("intent");
  const values = formValues(formData);
  if (intent === "decide") {
    const parsed = validate(decisionSchema, values);
    if (!parsed.ok) return formFailure(parsed.errors, { ...values, intent: "decide" });
    await recordDecision(context, actor, reference, parsed.data);
    return redirect(`/cases/${reference}?done=decision`);
  }
  if (typeof intent !== "string") throw badRequest("Choose an action");
  // Each action form names its reason field after itself, so ids on the page stay unique.
  const parsed = validate(caseActionSchema, { ...values, action: intent, reason: values[`reason-${intent}`] ?? values.reason });
  if (!parsed.ok) {
    const errors = Object.fromEntries(Object.entries(parsed.errors).map(([k, m]) => [k === "reason" ? `reason-${intent}` : k, m]));
    return formFailure(errors, { ...values, intent });
  }
  await actOnCase(context, actor, reference, parsed.data);
  return redirect(`/cases/${reference}?done=${intent}`);
}

const DONE: Record<string, string> = {
  decision: "Decision recorded.",
  corrected: "Decision corrected. The case has followed, and everyone told of the first decision has been emailed.",
  withdraw: "Request withdrawn.",
  refer: "Case referred to the front door.",
  close: "Case closed.",
  reopen: "Case reopened.",
  front_door_outcome: "Front door decision recorded.",
};

/** The standing decision's consequence in words: who does what by when. */
function nextStepsOf(
  d:
    | { outcome: string; transfer_date: string | null; review_date: string | null; lead_practitioner: string | null; risk_holder: string }
    | undefined,
): string | null {
  if (!d) return null;
  const review = d.review_date ? ` Team Around the Family review by ${formatDate(d.review_date)}.` : "";
  switch (d.outcome) {
    case "step_down_agreed_early_help":
    case "step_down_agreed_volunteer_support":
      return `${d.lead_practitioner ?? "The receiving service's lead practitioner"} takes the case${
        d.transfer_date ? ` at the transfer meeting or joint visit on ${formatDate(d.transfer_date)}` : ""
      }. ${d.risk_holder} holds the risk until then.${review}`;
    case "step_up_agreed":
      return `Children's social care takes the case${d.lead_practitioner ? `, led by ${d.lead_practitioner}` : ""}. ${d.risk_holder} holds the risk.${review}`;
    case "not_agreed":
      return `The case stays with the service it is with. ${d.risk_holder} holds the risk.${review}`;
    case "deferred":
      return `It goes to the next panel with the information the panel asked for. ${d.risk_holder} holds the risk meanwhile.`;
    case "referred_to_front_door":
      return "The front door decides what happens next.";
    case "signposted":
      return "The family was signposted to other help: the panel's part has ended.";
    default:
      return null;
  }
}

export default function CasePage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const errors = failure?.errors;
  const intent = valueOf(failure?.values, "intent");
  const v = (name: string) => (intent ? valueOf(failure?.values, name) : "");
  const err = (forIntent: string, name: string) => (intent === forIntent ? errors?.[name] : undefined);
  const can = (a: string) => data.actions.includes(a as never);
  const hasOpen = Boolean(data.open);
  return (
    <>
      {done && DONE[done] ? <NotificationBanner>{DONE[done]}</NotificationBanner> : null}
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">{data.area}</span>
      <h1 className="govuk-heading-l">Case {data.reference}</h1>
      <p className="govuk-body">
        <Tag colour={data.status === "front_door" ? "red" : data.status === "closed" ? "grey" : "blue"}>{data.state}</Tag>
      </p>
      {data.mayExport ? (
        <p className="govuk-body no-print">
          <a className="govuk-link" href={`/cases/${data.reference}/subject-access`}>
            Everything held about this child (subject access)
          </a>
        </p>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: "Child", value: data.child.name },
              { key: "Date of birth", value: data.child.dob },
              { key: "Address", value: data.child.address },
              ...(data.child.nhsNumber ? [{ key: "NHS number", value: data.child.nhsNumber }] : []),
              ...(data.child.caseSystemId ? [{ key: "Case system number", value: data.child.caseSystemId }] : []),
              ...(data.child.siblings ? [{ key: "Sibling group", value: data.child.siblings }] : []),
              {
                key: "Who holds the risk",
                value: data.open
                  ? `${data.riskHolder ?? `${data.open.by}, ${data.open.agency}`}, who asked for the panel, until the panel decides`
                  : (data.riskHolder ?? "Not recorded"),
              },
              {
                key: "Lead practitioner",
                value: `${data.leadPractitioner ?? "Not recorded"}${data.supervisor ? `, supervised by ${data.supervisor}` : ""}`,
              },
              ...(!data.open && data.nextSteps ? [{ key: "What happens next", value: data.nextSteps }] : []),
              { key: "Agencies involved", value: data.agencies.join(", ") || "None" },
              {
                key: "Open request",
                value: data.open
                  ? `${kindName(data.open.kind, { capital: true })} from ${data.open.by}, ${data.open.agency}${data.open.bounceBack ? " (bounce back)" : ""} – ${
                      data.open.placement.panel
                        ? `on the ${data.open.placement.panel.area} ${data.open.placement.panel.extraordinary ? "extraordinary " : ""}panel, ${data.open.placement.panel.when}`
                        : data.open.placement.why
                    }`
                  : "None",
              },
            ]}
          />

          {data.requests.length ? (
            <>
              <h2 className="govuk-heading-m">What the requester wrote</h2>
              {data.requests.map((r, i) =>
                i === 0 ? (
                  <section key={r.id} aria-label={r.title}>
                    <h3 className="govuk-heading-s">{r.title}</h3>
                    <SummaryList rows={r.rows} />
                  </section>
                ) : (
                  <details className="govuk-details" key={r.id}>
                    <summary className="govuk-details__summary">
                      <span className="govuk-details__summary-text">{r.title}</span>
                    </summary>
                    <div className="govuk-details__text">
                      <SummaryList rows={r.rows} />
                    </div>
                  </details>
                ),
              )}
            </>
          ) : null}

          {data.challenges.some((c) => c.open) ? (
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>A professional challenge is open on this case.
              </strong>
            </div>
          ) : null}
          {data.challenges.length ? (
            <section aria-labelledby="challenges-heading">
              <h2 className="govuk-heading-m" id="challenges-heading">
                Professional challenges
              </h2>
              <ul className="govuk-list">
                {data.challenges.map((c) => (
                  <li key={c.id}>
                    <a className="govuk-link" href={`/challenges/${c.id}`}>
                      {c.state}
                    </a>{" "}
                    {c.overdue && c.open ? <Tag colour="red">Overdue</Tag> : null} – raised by {c.by}
                    {c.open ? (
                      <>
                        . Risk held by <strong>{c.riskHolder}</strong> until resolved{c.deadline ? `; response due ${c.deadline}` : ""}.
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {data.decisions.length ? (
            <section aria-labelledby="decisions-heading">
              <h2 className="govuk-heading-m" id="decisions-heading">
                Decisions
              </h2>
              <ul className="govuk-list">
                {data.decisions.map((d) => (
                  <li key={d.id} className="govuk-!-margin-bottom-3">
                    <strong>{d.outcome}</strong> – {d.at}, recorded by {d.by} {d.corrected ? <Tag colour="grey">Corrected</Tag> : null}
                    {d.correctionReason ? <span className="govuk-body-s"> (a correction: {d.correctionReason})</span> : null}
                    {!d.corrected ? (
                      <span className="no-print">
                        {data.mayChallenge ? (
                          <>
                            {" "}
                            <a className="govuk-link" href={`/cases/${data.reference}/challenge?decision=${d.id}`}>
                              Challenge this decision<span className="govuk-visually-hidden"> ({d.outcome})</span>
                            </a>
                          </>
                        ) : null}
                        {d.mayCorrect ? (
                          <>
                            {" "}
                            <a className="govuk-link" href={`/decisions/${d.id}/correct`}>
                              Correct this decision<span className="govuk-visually-hidden"> ({d.outcome})</span>
                            </a>
                          </>
                        ) : null}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
              <p className="govuk-body">
                {data.familyTold
                  ? `The family was told: ${data.familyTold}. `
                  : "Nobody has recorded telling the family of this decision yet. "}
                <a className="govuk-link no-print" href={`/cases/${data.reference}/family`}>
                  What the family was told
                </a>
                {data.handedOver ? (
                  <>
                    {" · "}
                    <a className="govuk-link no-print" href={`/cases/${data.reference}/lead`}>
                      The lead practitioner
                    </a>
                  </>
                ) : null}
                {data.stepDown ? (
                  <>
                    {" · "}
                    <a className="govuk-link no-print" href={`/cases/${data.reference}/review`}>
                      Did the step down work? (its review)
                    </a>
                  </>
                ) : null}
              </p>
            </section>
          ) : null}
          {data.caseActions.length ? (
            <section aria-labelledby="actions-heading">
              <h2 className="govuk-heading-m" id="actions-heading">
                Actions
              </h2>
              <ul className="govuk-list govuk-list--bullet">
                {data.caseActions.map((a) => (
                  <li key={a.id}>
                    {a.text} – {a.owner}, due {a.due} {a.done ? <Tag colour="green">Done</Tag> : null}
                    {a.note ? `: ${a.note}` : ""}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {hasOpen && can("decide") ? (
            <section aria-labelledby="decide-heading">
              <h2 className="govuk-heading-m" id="decide-heading">
                Record the panel's decision
              </h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="version" value={data.version} />
                <input type="hidden" name="requestId" value={data.open!.id} />
                <Radios
                  name="outcome"
                  legend="Decision"
                  legendSize="s"
                  defaultValue={v("outcome")}
                  error={err("decide", "outcome")}
                  options={Object.entries(DECISION_LABELS)
                    .filter(([key]) => (data.open!.kind === "step_up" ? !key.startsWith("step_down") : key !== "step_up_agreed"))
                    .map(([value, label]) => ({ value, label }))}
                />
                <Textarea name="reasons" label="Reasons" defaultValue={v("reasons")} error={err("decide", "reasons")} />
                <ChosenPersonField
                  field="riskHolder"
                  label="Who holds the risk"
                  noun="Risk holder"
                  people={data.people}
                  values={intent === "decide" ? failure?.values : undefined}
                  errors={intent === "decide" ? failure?.errors : undefined}
                />
                <Button>Record decision</Button>
              </Form>
            </section>
          ) : null}

          <h2 className="govuk-heading-m">Other actions</h2>
          {hasOpen && can("withdraw") ? (
            <FoldedForm summary="Withdraw the request" open={intent === "withdraw"} hidden={{ intent: "withdraw", version: data.version }}>
              <Textarea
                name="reason-withdraw"
                label="Why is the request withdrawn?"
                rows={3}
                defaultValue={intent === "withdraw" ? v("reason-withdraw") : ""}
                error={err("withdraw", "reason-withdraw")}
              />
              <Button secondary>Withdraw request</Button>
            </FoldedForm>
          ) : null}
          {data.status !== "front_door" && data.status !== "closed" && can("refer") ? (
            <FoldedForm
              summary="The child is at immediate risk: refer to the front door"
              open={intent === "refer"}
              hidden={{ intent: "refer", version: data.version }}
            >
              <Textarea
                name="reason-refer"
                label="What is the immediate risk?"
                rows={3}
                defaultValue={intent === "refer" ? v("reason-refer") : ""}
                error={err("refer", "reason-refer")}
              />
              <Button warning>Refer to the front door</Button>
            </FoldedForm>
          ) : null}
          {data.status === "front_door" && can("front_door_outcome") ? (
            <FoldedForm
              summary="Record the front door's decision"
              open={intent === "front_door_outcome"}
              hidden={{ intent: "front_door_outcome", version: data.version }}
            >
              <Radios
                name="to"
                legend="Where does the case go?"
                legendSize="s"
                defaultValue={intent === "front_door_outcome" ? v("to") : ""}
                error={err("front_door_outcome", "to")}
                options={[
                  { value: "social_care", label: "Children's social care" },
                  { value: "early_help", label: "Early help" },
                ]}
              />
              <Textarea
                name="reason-front_door_outcome"
                label="The front door's decision"
                rows={3}
                defaultValue={intent === "front_door_outcome" ? v("reason-front_door_outcome") : ""}
                error={err("front_door_outcome", "reason-front_door_outcome")}
              />
              <Button secondary>Record decision</Button>
            </FoldedForm>
          ) : null}
          {!hasOpen && data.status !== "closed" && can("close") ? (
            <FoldedForm summary="Close the case" open={intent === "close"} hidden={{ intent: "close", version: data.version }}>
              <Textarea
                name="reason-close"
                label="Reason for closing"
                rows={3}
                defaultValue={intent === "close" ? v("reason-close") : ""}
                error={err("close", "reason-close")}
              />
              <Button secondary>Close case</Button>
            </FoldedForm>
          ) : null}
          {data.status === "closed" && can("reopen") ? (
            <FoldedForm summary="Reopen the case" open={intent === "reopen"} hidden={{ intent: "reopen", version: data.version }}>
              <Radios
                name="to"
                legend="Reopen in"
                legendSize="s"
                defaultValue={intent === "reopen" ? v("to") : ""}
                error={err("reopen", "to")}
                options={[
                  { value: "early_help", label: "Early help" },
                  { value: "social_care", label: "Children's social care" },
                  { value: "volunteer_support", label: "Volunteer family support" },
                ]}
              />
              <Textarea
                name="reason-reopen"
                label="Why reopen?"
                rows={3}
                defaultValue={intent === "reopen" ? v("reason-reopen") : ""}
                error={err("reopen", "reason-reopen")}
              />
              <Button secondary>Reopen case</Button>
            </FoldedForm>
          ) : null}
        </div>
      </div>

      <h2 className="govuk-heading-m">Timeline</h2>
      <ol className="govuk-list">
        {data.timeline.map((event, i) => (
          <li key={i} className="govuk-!-margin-bottom-4">
            <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{event.title}</h3>
            <p className="govuk-body-s govuk-!-margin-bottom-1">{event.at}</p>
            {event.detail ? <p className="govuk-body">{event.detail}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
