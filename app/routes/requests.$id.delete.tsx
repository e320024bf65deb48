import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput } from "../components/govuk";
import { readForm } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { discardDraft, draftName, getDraft } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "Delete this draft? – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const draft = await getDraft(context, actorOf(context), idParam(params.id));
  if (draft.status !== "draft") throw redirect("/submissions");
  return json({ id: draft.id, name: draftName(draft.kind, draft.answers) });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await readForm(request, context);
  await discardDraft(context, actorOf(context), idParam(params.id));
  return redirect("/submissions?deleted=1");
}

export default function DeleteDraft() {
  const { id, name } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/requests/${id}/check`} className="govuk-back-link">
          Back
        </a>
        <h1 className="govuk-heading-l">Delete this draft?</h1>
        <p className="govuk-body">{name}</p>
        <p className="govuk-body">Everything you typed into it is deleted and cannot be got back. Nothing has been sent to a panel.</p>
        <Form method="post">
          <CsrfInput />
          <div className="govuk-button-group">
            <Button warning>Yes, delete this draft</Button>
            <a className="govuk-link" href="/submissions">
              No, keep it
            </a>
          </div>
        </Form>
      </div>
    </div>
  );
}
