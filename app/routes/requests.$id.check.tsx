import { formatNhsNumber } from "../../domain/nhs-number";
import { STEP_DOWN_SERVICES } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, SummaryList } from "../components/govuk";
import { aboutTheChildRows } from "../lib/request-answers";
import { formatDate } from "../lib/dates";
import { readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import {
  attachToKnownCase,
  checkAnswers,
  draftOptions,
  getDraft,
  knownChildFor,
  submitRequest,
  riskPageFor,
} from "../services/requests.server";
import { kindAdjective } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "Check your answers – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const draft = await getDraft(context, actorOf(context), idParam(params.id));
  if (draft.status !== "draft") throw redirect("/submissions");
  const riskPage = riskPageFor(draft);
  if (riskPage) throw redirect(riskPage);
  const checked = checkAnswers(context, draft.kind, draft.answers);
  if (!checked.ok) throw redirect(`/requests/${draft.id}/${checked.page}`);
  const { areas, agencies } = await draftOptions(context);
  const a = checked.answers;
  const agencyNames = agencies.filter((x) => a.details["agencies[]"].includes(x.id)).map((x) => x.name);
  const child = a.child.existingReference
    ? [
        { key: "Existing case reference", value: a.child.existingReference, page: "child" },
        { key: "Child's details", value: "As recorded on the case: a request does not change them", page: "child" },
        { key: "Area", value: areas.find((x) => x.id === a.child.areaId)?.name ?? "", page: "child" },
      ]
    : [
        { key: "Name", value: `${a.child.firstName} ${a.child.lastName}`, page: "child" },
        {
          key: "Date of birth",
          value: formatDate(
            `${draft.answers.dobYear}-${String(draft.answers.dobMonth).padStart(2, "0")}-${String(draft.answers.dobDay).padStart(2, "0")}`,
          ),
          page: "child",
        },
        { key: "Address", value: a.child.address ?? "Not given", page: "child" },
        { key: "NHS number", value: a.child.nhsNumber ? formatNhsNumber(a.child.nhsNumber) : "Not given", page: "child" },
        { key: "Case system number", value: a.child.caseSystemId ?? "Not given", page: "child" },
        { key: "Sibling group", value: a.child.siblings ?? "None", page: "child" },
        { key: "Area", value: areas.find((x) => x.id === a.child.areaId)?.name ?? "", page: "child" },
        { key: "Existing case reference", value: "New to Threshold", page: "child" },
      ];
  const details =
    a.kind === "step_up"
      ? [
          {
            key: "Current service",
            value: a.details.currentService === "early_help" ? "Early help" : "Volunteer Family Support Service",
            page: "details",
          },
          { key: "Lead practitioner", value: a.details.leadPractitioner, page: "details" },
          { key: "Concerns", value: a.details.concerns, page: "details" },
          { key: "What early help has tried", value: a.details.triedSoFar, page: "details" },
          { key: "Family's view", value: a.details.familyView, page: "details" },
        ]
      : [
          { key: "Reason and what has changed", value: a.details.reason, page: "details" },
          { key: "Outcomes and goals", value: a.details.outcomes, page: "details" },
          { key: "Outstanding tasks", value: a.details.outstandingTasks ?? "None", page: "details" },
          { key: "Proposed service", value: STEP_DOWN_SERVICES[a.details.proposedService], page: "details" },
          { key: "Proposed lead", value: a.details.proposedLead, page: "details" },
          {
            key: "Family consent",
            value: a.details.consent === "given" ? `Given (${a.details.consentHow ?? ""})` : "Not given",
            page: "details",
          },
        ];
  details.push(...aboutTheChildRows(a.kind, draft.answers, { complete: true }).map((r) => ({ ...r, page: "details" })));
  details.push({ key: "Agencies involved", value: agencyNames.join(", ") || "None", page: "details" });
  const known = await knownChildFor(context, actorOf(context), draft.id, a.child, draft.answers);
  return json({ id: draft.id, kind: draft.kind, child, details, known });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "same-child") {
    const reference = form.get("reference");
    await attachToKnownCase(context, actor, id, typeof reference === "string" ? reference : "");
    return redirect(`/requests/${id}/check`);
  }
  await submitRequest(context, actor, id);
  return redirect(`/requests/${id}/submitted`);
}

function Answers({ rows, id }: { rows: Array<{ key: string; value: string; page: string }>; id: number }) {
  return (
    <dl className="govuk-summary-list govuk-!-margin-bottom-9">
      {rows.map((row) => (
        <div className="govuk-summary-list__row" key={row.key}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value app-pre-line">{row.value}</dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href={`/requests/${id}/${row.page}`}>
              Change<span className="govuk-visually-hidden"> {row.key.toLowerCase()}</span>
            </a>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export default function CheckAnswers() {
  const params = useParams();
  const { id, kind, child, details, known } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const errors = failure?.errors;
  const linked = errors?.existingReference ? { form: errors.existingReference } : errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/requests/${params.id}/details`} className="govuk-back-link">
          Back
        </a>
        <ErrorSummary errors={linked} />
        <h1 className="govuk-heading-l">Check your answers before sending your {kindAdjective(kind)} request</h1>
        {known.offered.length ? (
          <section aria-labelledby="known-child" className="app-known-child">
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text" id="known-child">
                <span className="govuk-visually-hidden">Warning</span>
                This child may already be known to Threshold
              </strong>
            </div>
            <p className="govuk-body">
              If it is the same child, send the request on their case so the panel sees the whole history. If it is not, send it as it is.
            </p>
            {known.offered.map((match) => (
              <div className="govuk-summary-card" key={match.reference}>
                <div className="govuk-summary-card__title-wrapper">
                  <h2 className="govuk-summary-card__title">{match.reference}</h2>
                </div>
                <div className="govuk-summary-card__content">
                  <SummaryList
                    rows={[
                      { key: "Name", value: match.name },
                      { key: "Date of birth", value: match.dateOfBirth },
                      { key: "Area", value: match.area },
                      { key: "Case is now", value: match.state },
                      { key: "Why it may be the same child", value: match.why },
                    ]}
                  />
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="reference" value={match.reference} />
                    <Button secondary name="intent" value="same-child">
                      This is the same child<span className="govuk-visually-hidden">: {match.reference}</span>
                    </Button>
                  </Form>
                </div>
              </div>
            ))}
          </section>
        ) : known.chairWillCheck ? (
          <div className="govuk-inset-text">
            Before the panel, its chair checks whether this child is already known to Threshold, and puts the request with the child&rsquo;s
            case if so.
          </div>
        ) : null}
        <h2 className="govuk-heading-m">About the child</h2>
        <Answers rows={child} id={id} />
        <h2 className="govuk-heading-m">{`${kindAdjective(kind, { capital: true })} details`}</h2>
        <Answers rows={details} id={id} />
        <h2 className="govuk-heading-m">Now send your request</h2>
        <p className="govuk-body">
          By sending this request you confirm that the child is not at immediate risk of harm and that, to the best of your knowledge, the
          details are correct.
        </p>
        <Form method="post">
          <CsrfInput />
          <div className="govuk-button-group">
            <Button>Accept and send</Button>
            <a className="govuk-link" href={`/requests/${id}/delete`}>
              Delete this draft
            </a>
          </div>
        </Form>
      </div>
    </div>
  );
}
