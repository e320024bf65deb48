import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Textarea, valueOf } from "../components/govuk";
import { answerQuestionSchema } from "../forms/panel";
import { formatDate, formatDateTime } from "../lib/dates";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { answerChairsQuestion, viewQuestions } from "../services/triage.server";

export const meta: MetaFunction = () => [{ title: "The chair's question – Threshold" }];

/** The requester reads the chair's question on their request and answers it; only the requester may. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const view = await viewQuestions(context, actorOf(context), idParam(params.id));
  return json({
    reference: view.reference,
    questions: view.questions.map((q) => ({
      id: q.id,
      question: q.question,
      asked: `${q.asked_by}, ${formatDateTime(q.asked_at)}`,
      answer: q.answer,
      answered: q.answered_at ? formatDateTime(q.answered_at) : null,
    })),
    open: view.open ? { question: view.open.question, asked: `${view.open.asked_by}, ${formatDateTime(view.open.asked_at)}` } : null,
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  return handleForm(request, context, answerQuestionSchema, async (input) => {
    const { panel } = await answerChairsQuestion(context, actor, id, input);
    return redirect(`/requests/${id}/answer?listed=${panel ? panel.meeting_date : "waiting"}`);
  });
}

export default function AnswerQuestion() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const listed = search.get("listed");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/submissions" className="govuk-back-link">
          Back to your requests
        </a>
        <ErrorSummary errors={failure?.errors} />
        {listed && !data.open ? (
          <NotificationBanner>
            {/^\d{4}-\d{2}-\d{2}$/.test(listed)
              ? `Thank you. Your answer was sent to the chair, and the request is listed for the panel on ${formatDate(listed)}.`
              : "Thank you. Your answer was sent to the chair; the request waits for the area's next panel."}
          </NotificationBanner>
        ) : null}
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">{data.open ? "The chair has a question about your request" : "The chair's questions"}</h1>
        {data.questions
          .filter((q) => q.answer !== null)
          .map((q) => (
            <div className="govuk-inset-text" key={q.id}>
              <p className="govuk-body govuk-!-font-weight-bold">{q.question}</p>
              <p className="govuk-body">{q.answer}</p>
              <p className="govuk-hint govuk-!-margin-bottom-0">{`Asked by ${q.asked}; answered ${q.answered}`}</p>
            </div>
          ))}
        {data.open ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <p className="govuk-body">{`Asked by ${data.open.asked}:`}</p>
            <div className="govuk-inset-text">{data.open.question}</div>
            <Textarea
              name="answer"
              label="Your answer"
              hint="Once you send it, the request goes on the next panel whose cut-off allows."
              maxLength={5000}
              defaultValue={valueOf(failure?.values, "answer")}
              error={failure?.errors.answer}
            />
            <Button>Send the answer</Button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
