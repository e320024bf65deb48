import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Tag, Textarea, valueOf } from "../components/govuk";
import { completeActionSchema } from "../forms/panel";
import { formatDate, formatDateTime } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { formValues, validate } from "../lib/validation";
import { completeAction, myActions } from "../services/actions.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "My actions – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const groups = await myActions(context, actor);
  const row = (a: (typeof groups.overdue)[number]) => ({
    id: a.id,
    reference: a.reference,
    childName: [a.child_first_name, a.child_last_name].filter(Boolean).join(" ") || null,
    description: a.description,
    // Naming the lead practitioner is done on its own form, which completes the action.
    nameLead: a.handover === "name_lead" && a.status === "open",
    due: formatDate(a.due_date),
    panel: a.meeting_date ? formatDate(a.meeting_date) : null,
    note: a.done_note,
    doneAt: a.done_at ? formatDateTime(a.done_at) : null,
  });
  return json({
    overdue: groups.overdue.map(row),
    dueSoon: groups.dueSoon.map(row),
    later: groups.later.map(row),
    done: groups.done.map(row),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const values = formValues(await readForm(request, context));
  // Each action's note field has its own name (ids on a page must be unique).
  const id = valueOf(values, "actionId");
  const parsed = validate(completeActionSchema, { actionId: id, note: values[`note-${id}`] });
  if (!parsed.ok)
    return formFailure(Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k === "note" ? `note-${id}` : k, v])), values);
  await completeAction(context, actor, parsed.data);
  return redirect("/actions?done=1");
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["overdue"][number];

function OpenActions({
  title,
  rows,
  tag,
  failure,
}: {
  title: string;
  rows: Row[];
  tag?: { text: string; colour: string };
  failure?: FormFailure;
}) {
  return (
    <>
      <h2 className="govuk-heading-m">
        {title} ({rows.length})
      </h2>
      {rows.length === 0 ? <p className="govuk-body">None.</p> : null}
      {rows.map((a) => {
        const failed = failure && valueOf(failure.values, "actionId") === String(a.id);
        return (
          <div className="govuk-summary-card" key={a.id}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">
                Case{" "}
                <a className="govuk-link" href={`/cases/${a.reference}`}>
                  {a.reference}
                </a>
                {a.childName ? `, ${a.childName}` : ""} {tag ? <Tag colour={tag.colour}>{tag.text}</Tag> : null}
              </h3>
            </div>
            <div className="govuk-summary-card__content">
              <p className="govuk-body">{a.description}</p>
              {a.nameLead ? (
                <p className="govuk-body">
                  <a className="govuk-link" href={`/cases/${a.reference}/lead`}>
                    Name the lead practitioner<span className="govuk-visually-hidden"> for case {a.reference}</span>
                  </a>
                </p>
              ) : null}
              <p className="govuk-body">
                Due <strong>{a.due}</strong>
                {a.panel ? `. Agreed at the panel on ${a.panel}.` : "."}
              </p>
              <details className="govuk-details" open={Boolean(failed)}>
                <summary className="govuk-details__summary">
                  <span className="govuk-details__summary-text">Mark as done</span>
                </summary>
                <div className="govuk-details__text">
                  <Form method="post" noValidate>
                    <CsrfInput />
                    <input type="hidden" name="actionId" value={a.id} />
                    <Textarea
                      name={`note-${a.id}`}
                      label="What was done"
                      defaultValue={failed ? valueOf(failure?.values, `note-${a.id}`) : ""}
                      error={failed ? (failure?.errors[`note-${a.id}`] ?? failure?.errors.note ?? failure?.errors.form) : undefined}
                    />
                    <Button secondary>Mark as done</Button>
                  </Form>
                </div>
              </details>
            </div>
          </div>
        );
      })}
    </>
  );
}

export default function MyActions() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  return (
    <>
      <ErrorSummary errors={failure?.errors} />
      {search.get("done") ? <NotificationBanner>Action marked as done.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">My actions</h1>
      <OpenActions title="Overdue" rows={data.overdue} tag={{ text: "Overdue", colour: "red" }} failure={failure} />
      <OpenActions title="Due soon" rows={data.dueSoon} tag={{ text: "Due soon", colour: "yellow" }} failure={failure} />
      <OpenActions title="Later" rows={data.later} failure={failure} />
      <h2 className="govuk-heading-m">Done ({data.done.length})</h2>
      <ul className="govuk-list">
        {data.done.map((a) => (
          <li key={a.id}>
            {a.reference}: {a.description} – done {a.doneAt}: {a.note}
          </li>
        ))}
      </ul>
    </>
  );
}
