import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDate } from "../lib/dates";
import { actorOf } from "../services/authorise.server";
import { familyLetterToPrint } from "../services/family-letters.server";

export const meta: MetaFunction = () => [{ title: "Letter to the family – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const letter = await familyLetterToPrint(context, actorOf(context), params.reference ?? "");
  return json({ reference: letter.reference, body: letter.body, date: formatDate(letter.writtenAt) });
}

/** The reviewed letter alone, laid out for A4: printing hides the service's header and footer. */
export default function PrintFamilyLetter() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <a href={`/cases/${data.reference}/letter`} className="govuk-back-link">
        Back to the letter
      </a>
      <p className="govuk-body no-print">
        {"Print this page from your browser (Ctrl + P, or ⌘ + P on a Mac). Only the letter is printed."}
      </p>
      <article className="family-letter family-letter--print">
        <p className="govuk-body family-letter__date">{data.date}</p>
        {data.body.split(/\n\s*\n/).map((p, i) => (
          <p className="govuk-body family-letter__paragraph" key={i}>
            {p}
          </p>
        ))}
      </article>
    </>
  );
}
