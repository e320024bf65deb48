import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Radios, Textarea, valueOf } from "../components/govuk";
import { declarationSchema } from "../forms/declarations";
import { formatDate, formatTime } from "../lib/dates";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { kindName } from "../lib/request-kind";
import { actorMay } from "../services/authorise.server";
import { declarationChoices, declareInterest } from "../services/declarations.server";

export const meta: MetaFunction = () => [{ title: "Declare an interest – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const panelId = idParam(params.panelId);
  const { panel, items } = await declarationChoices(context, actor, panelId);
  return json({
    panelId,
    title: `${panel.area_name} panel, ${formatDate(panel.meeting_date)}`,
    items: items.map((i) => ({
      value: String(i.id),
      label: `${formatTime(i.slot.startsAt)}: ${i.reference}${i.childName ? ` (${i.childName})` : ""}, ${kindName(i.kind)}`,
      declared: i.declarations.find((d) => d.userId === actor.user.id)?.reason ?? null,
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const panelId = idParam(params.panelId);
  return handleForm(request, context, declarationSchema, async (input) => {
    await declareInterest(context, actor, panelId, input);
    return redirect(`/panels/${panelId}?done=declared`);
  });
}

/** Anyone invited says they have an interest in an item: they take no part in its decision, and the minutes say so. */
export default function DeclareInterest() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const declared = data.items.filter((i) => i.declared);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/panels/${data.panelId}`} className="govuk-back-link">
          Back to the panel
        </a>
        <ErrorSummary errors={failure?.errors} />
        <span className="govuk-caption-l">{data.title}</span>
        <h1 className="govuk-heading-l">Declare an interest</h1>
        <p className="govuk-body">
          Declare an interest if you know the family personally, have been involved in a complaint about the case, or anything else could
          make people doubt you are impartial. The chair sees it beside the item; you take no part in its decision, and the minutes record
          it.
        </p>
        {declared.length ? (
          <div className="govuk-inset-text">
            {declared.map((i) => (
              <p className="govuk-body" key={i.value}>{`You have declared an interest in ${i.label}: ${i.declared}`}</p>
            ))}
          </div>
        ) : null}
        {data.items.length ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <Radios
              name="itemId"
              legend="Which item do you have an interest in?"
              options={data.items.map((i) => ({ value: i.value, label: i.label }))}
              defaultValue={valueOf(failure?.values, "itemId")}
              error={failure?.errors.itemId}
            />
            <Textarea
              name="reason"
              label="What is your interest?"
              hint="For example: the child's mother is my neighbour."
              maxLength={1000}
              defaultValue={valueOf(failure?.values, "reason")}
              error={failure?.errors.reason}
            />
            <Button>Declare the interest</Button>
          </Form>
        ) : (
          <p className="govuk-body">There are no items still to be decided that you were invited to.</p>
        )}
      </div>
    </div>
  );
}
