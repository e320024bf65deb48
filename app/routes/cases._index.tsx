import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Table, TextInput, valueOf } from "../components/govuk";
import { caseSearchSchema } from "../forms/search";
import { handleForm } from "../lib/http.server";
import type { FieldErrors, FormValues } from "../lib/validation";
import { actorOf } from "../services/authorise.server";
import { findCases, myCases } from "../services/case-search.server";

export const meta: MetaFunction = () => [{ title: "Find a child – Threshold" }];

type Listed = Awaited<ReturnType<typeof myCases>>[number];

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ mine: await myCases(context, actorOf(context)) });
}

/** The search is a form sent in the body: a child's name or date of birth never goes in a web address. */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorOf(context);
  return handleForm(request, context, caseSearchSchema, async ({ q }, values) =>
    json({ found: await findCases(context, actor, q), values, errors: undefined as FieldErrors | undefined }),
  );
}

function CaseTable({ caption, rows, captionSize }: { caption: string; rows: Listed[]; captionSize?: "m" }) {
  return (
    <Table
      caption={caption}
      captionSize={captionSize}
      rowKey={(r) => r.reference}
      rows={rows}
      columns={[
        {
          header: "Case",
          cell: (r) => (
            <a className="govuk-link" href={`/cases/${r.reference}`}>
              {r.reference}
            </a>
          ),
        },
        { header: "Child", cell: (r) => r.name },
        { header: "Date of birth", cell: (r) => r.dateOfBirth },
        { header: "Area", cell: (r) => r.area },
        { header: "Where it is", cell: (r) => r.state },
      ]}
    />
  );
}

export default function FindAChild() {
  const { mine } = useLoaderData<typeof loader>();
  const result = useActionData<{ found?: Listed[]; values?: FormValues; errors?: FieldErrors }>();
  const errors = result?.errors;
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Find a child</h1>
      <Form method="post" noValidate className="govuk-!-margin-bottom-6">
        <CsrfInput />
        <TextInput
          name="q"
          label="Search"
          hint="A name, a date of birth like 27/3/2015, a case reference, an NHS number or a case system number. You will find only the children you may see."
          autoComplete="off"
          spellCheck={false}
          defaultValue={valueOf(result?.values, "q")}
          error={errors?.q}
        />
        <Button>Search</Button>
      </Form>
      {result?.found ? (
        <section aria-live="polite">
          <h2 className="govuk-heading-m">
            {result.found.length === 0
              ? "No children found"
              : result.found.length === 1
                ? "1 child found"
                : `${result.found.length} children found`}
          </h2>
          {result.found.length ? (
            <CaseTable caption="Children found" rows={result.found} />
          ) : (
            <p className="govuk-body">Check the spelling or the date, or search for the case reference.</p>
          )}
        </section>
      ) : null}
      <h2 className="govuk-heading-m">My cases</h2>
      {mine.length ? (
        <CaseTable caption="The children you asked about, are invited for, own actions on or are named for" rows={mine} />
      ) : (
        <p className="govuk-body">No cases yet: the children you ask a panel about, or hold actions or roles for, are listed here.</p>
      )}
    </>
  );
}
