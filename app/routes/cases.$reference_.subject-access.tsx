import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, NotificationBanner } from "../components/govuk";
import { OfficialSensitive, SubjectAccessDocument } from "../components/subject-access-document";
import { formatDateTime } from "../lib/dates";
import { readForm } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { subjectAccessDocument, withholdFromSubjectAccess } from "../services/subject-access.server";

export const meta: MetaFunction = () => [{ title: "Subject access record – Threshold" }];

/** Everything held about a child, for the reviewer: each typed detail can be marked to withhold from the family's copy. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const doc = await subjectAccessDocument(context, actor, params.reference ?? "", "review");
  return json({ ...doc, madeAt: formatDateTime(doc.madeAt), madeBy: actor.user.name });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const reference = params.reference ?? "";
  const formData = await readForm(request, context);
  const fields = formData.getAll("withhold").map(String);
  await withholdFromSubjectAccess(context, actor, reference, fields);
  return redirect(`/cases/${reference}/subject-access?done=saved`);
}

export default function SubjectAccess() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      {search.get("done") === "saved" ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">
            {d.withheld === 1 ? "1 detail is withheld from the copy." : `${d.withheld} details are withheld from the copy.`} The record
            itself is unchanged.
          </p>
        </NotificationBanner>
      ) : null}
      <OfficialSensitive />
      <span className="govuk-caption-l">Subject access record</span>
      <h1 className="govuk-heading-l">{`Everything held about case ${d.reference}`}</h1>
      <p className="govuk-body">
        Made {d.madeAt} by {d.madeBy}. This page is recorded in the audit trail.
      </p>
      <h2 className="govuk-heading-m">Before the copy is sent</h2>
      <p className="govuk-body">
        Read the record and tick <strong>Withhold</strong> beside anything that names or describes another person (a parent’s partner, a
        neighbour, a relative, someone who reported a concern) where they have not agreed to it being shared. Then save, and produce the
        copy: it leaves those details out and says where something was withheld. The record itself is never changed.
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={`/cases/${d.reference}/subject-access/copy`}>
          Produce the copy for the family
        </a>
        {d.withheld ? ` (${d.withheld} withheld)` : " (nothing withheld yet)"}
      </p>
      <Form method="post">
        <CsrfInput />
        <SubjectAccessDocument sections={d.sections} review />
        <Button>Save what is withheld</Button>
      </Form>
      <OfficialSensitive />
    </>
  );
}
