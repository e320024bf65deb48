import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OfficialSensitive, SubjectAccessDocument } from "../components/subject-access-document";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { subjectAccessDocument } from "../services/subject-access.server";

export const meta: MetaFunction = () => [{ title: "Subject access copy – Threshold" }];

/** The copy for the family: what the reviewer withheld never leaves the server. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const doc = await subjectAccessDocument(context, actor, params.reference ?? "", "copy");
  return json({ ...doc, madeAt: formatDateTime(doc.madeAt) });
}

/** Laid out for A4: each printed page carries the marking and its page number. */
export default function SubjectAccessCopy() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <a href={`/cases/${d.reference}/subject-access`} className="govuk-back-link">
        Back to the review
      </a>
      <p className="govuk-body no-print">
        {
          "Print this page or save it as a PDF from your browser (Ctrl + P, or ⌘ + P on a Mac). Each page is marked OFFICIAL-SENSITIVE and numbered."
        }
      </p>
      <article className="subject-access-copy">
        <OfficialSensitive />
        <h1 className="govuk-heading-l">{`Information we hold: case ${d.reference}`}</h1>
        <p className="govuk-body">
          {`Produced on ${d.madeAt} in answer to a subject access request. `}
          {d.withheld
            ? `${d.withheld === 1 ? "One detail has" : `${d.withheld} details have`} been withheld because ${d.withheld === 1 ? "it is" : "they are"} about another person; each place is marked.`
            : "Nothing has been withheld."}
        </p>
        <SubjectAccessDocument sections={d.sections} review={false} />
        <OfficialSensitive />
      </article>
    </>
  );
}
