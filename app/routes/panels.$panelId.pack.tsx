import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FoldedForm } from "../components/folded-form";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, SummaryList, Table, Tag, Textarea, valueOf } from "../components/govuk";
import { OfficialSensitive } from "../components/subject-access-document";
import { informationReturnSchema } from "../forms/pack";
import { formatDate, formatDateTime, formatTime } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { requestAnswerRows } from "../lib/request-answers";
import { kindName } from "../lib/request-kind";
import { formValues, validate } from "../lib/validation";
import { actorMay, badRequest } from "../services/authorise.server";
import { addInformationReturn, markRead, viewPack } from "../services/panel-pack.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Pack: ${data.title} – Threshold` : "Panel pack – Threshold" },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const panelId = idParam(params.panelId);
  const pack = await viewPack(context, actor, panelId);
  const p = pack.panel;
  return json({
    panelId,
    title: `${p.area_name} ${p.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(p.meeting_date)}`,
    when: `${formatDate(p.meeting_date)}, ${formatTime(p.starts_at)} to ${formatTime(p.ends_at)}`,
    venue: p.venue,
    chair: p.chair_name,
    ready: pack.ready,
    wholePanel: pack.wholePanel,
    mayChair: pack.mayChair,
    returnsOpen: pack.returnsOpen,
    readAt: pack.readAt ? formatDateTime(pack.readAt) : null,
    myId: actor.user.id,
    myAgency: actor.user.agencyName,
    items: pack.items.map((i) => ({
      id: i.id,
      time: `${formatTime(i.slot.startsAt)} to ${formatTime(i.slot.endsAt)}`,
      reference: i.reference,
      childName: i.childName,
      kind: kindName(i.kind, { capital: true }),
      by: `${i.submitted_by}, ${i.agency_name}`,
      decided: i.status === "decided",
      invited: [...i.invitedAgencies, ...i.invitedPeople].join(", ") || "None",
      answers: requestAnswerRows(i.kind, i.answers, { complete: true }),
      returns: i.returns.map((r) => ({ ...r, writtenAt: formatDateTime(r.writtenAt) })),
    })),
    readers: pack.readers.map((r) => ({
      name: `${r.name} (${r.agency})`,
      invited: r.whole ? "Whole meeting" : "An item",
      read: r.readAt ? formatDateTime(r.readAt) : null,
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const panelId = idParam(params.panelId);
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values = { ...formValues(formData), intent };
  switch (intent) {
    case "read":
      await markRead(context, actor, panelId);
      return redirect(`/panels/${panelId}/pack?done=read`);
    case "information_return": {
      const parsed = validate(informationReturnSchema, values);
      if (!parsed.ok) return formFailure(parsed.errors, values);
      const item = await addInformationReturn(context, actor, panelId, parsed.data);
      return redirect(`/panels/${panelId}/pack?done=returned#item-${item.id}`);
    }
    default:
      throw badRequest("The form could not be read");
  }
}

/**
 * The panel pack: the agenda with its times and each request as written, with
 * what partners' agencies added, marked OFFICIAL-SENSITIVE and printable on
 * numbered A4 pages. Each person marks it read; the chair sees who has.
 */
export default function PanelPack() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const failedItem = failure?.values?.intent === "information_return" ? valueOf(failure.values, "itemId") : "";
  return (
    <div className="panel-pack">
      <a href={`/panels/${data.panelId}`} className="govuk-back-link">
        Back to the panel
      </a>
      <ErrorSummary errors={failure?.errors} />
      {done === "read" ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Marked read. The chair can see you have read the pack.</p>
        </NotificationBanner>
      ) : null}
      {done === "returned" ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Added to the pack. Everyone who sees the item can read it.</p>
        </NotificationBanner>
      ) : null}
      <OfficialSensitive />
      <span className="govuk-caption-l">{data.title}</span>
      <h1 className="govuk-heading-l">Panel pack</h1>
      <SummaryList
        rows={[
          { key: "When", value: data.when },
          { key: "Where", value: data.venue ?? "Not given" },
          { key: "Chair", value: data.chair ?? "Not named" },
          ...(data.wholePanel ? [] : [{ key: "Your pack", value: "The item you are invited to discuss, and nothing else of the panel" }]),
        ]}
      />
      {!data.ready ? (
        <div className="govuk-inset-text">
          {data.mayChair
            ? "Nobody else can read the pack yet: it goes to everyone invited when you send the agenda. This is how it will read."
            : "The pack is ready when the chair sends the agenda. You will be emailed a link."}
        </div>
      ) : data.readAt ? (
        <p className="govuk-body">
          <Tag colour="green">Read</Tag> {`You marked the pack read on ${data.readAt}.`}
        </p>
      ) : (
        <Form method="post" noValidate className="no-print">
          <CsrfInput />
          <input type="hidden" name="intent" value="read" />
          <p className="govuk-body">When you have read the pack, say so: the chair sees who has at the start of the meeting.</p>
          <Button>Mark the pack read</Button>
        </Form>
      )}

      {data.readers.length ? (
        <Table
          caption="Who has read the pack"
          captionSize="m"
          rows={data.readers}
          rowKey={(r) => r.name}
          columns={[
            { header: "Person", cell: (r) => r.name },
            { header: "Invited to", cell: (r) => r.invited },
            { header: "Read", cell: (r) => (r.read ? r.read : <Tag colour="grey">Not yet</Tag>) },
          ]}
        />
      ) : null}

      <h2 className="govuk-heading-m">Agenda</h2>
      {data.items.length ? (
        <Table
          caption="Items in the order they will be discussed"
          rows={data.items}
          rowKey={(i) => String(i.id)}
          columns={[
            { header: "Time", cell: (i) => i.time },
            { header: "Case", cell: (i) => (i.childName ? `${i.reference} (${i.childName})` : i.reference) },
            { header: "Request", cell: (i) => i.kind },
            { header: "Invited for the item", cell: (i) => i.invited },
          ]}
        />
      ) : (
        <p className="govuk-body">There are no items on the agenda yet.</p>
      )}

      {data.items.map((item, n) => (
        <section key={item.id} id={`item-${item.id}`} className="panel-pack__item" aria-labelledby={`item-${item.id}-heading`}>
          <h2 className="govuk-heading-m" id={`item-${item.id}-heading`}>
            {`Item ${n + 1}, ${item.time}: ${item.reference}${item.childName ? ` (${item.childName})` : ""}`}
          </h2>
          <p className="govuk-body">{`${item.kind}, from ${item.by}.${item.decided ? " Decided." : ""}`}</p>
          <h3 className="govuk-heading-s">What the request says</h3>
          <SummaryList rows={item.answers.map((a) => ({ key: a.key, value: <span className="app-pre-wrap">{a.value}</span> }))} />
          <h3 className="govuk-heading-s">What partners have added</h3>
          {item.returns.length ? (
            item.returns.map((r) => (
              <div className="govuk-inset-text" key={r.userId}>
                <p className="govuk-body govuk-!-font-weight-bold">{`${r.agency}: ${r.name}, ${r.writtenAt}`}</p>
                <p className="govuk-body app-pre-wrap">{r.body}</p>
              </div>
            ))
          ) : (
            <p className="govuk-body">Nothing yet.</p>
          )}
          {data.returnsOpen && !item.decided ? (
            <FoldedForm
              summary={
                item.returns.some((r) => r.userId === data.myId)
                  ? `Change what ${data.myAgency} knows about ${item.reference}`
                  : `Add what ${data.myAgency} knows about ${item.reference}`
              }
              open={failedItem === String(item.id)}
              hidden={{ intent: "information_return", itemId: item.id }}
            >
              <Textarea
                name="body"
                label={`What does ${data.myAgency} know about the child and family? (${item.reference})`}
                hint="Contacts, concerns and what you are doing now. The chair and everyone invited for this item read it in the pack."
                maxLength={4000}
                defaultValue={
                  failedItem === String(item.id)
                    ? valueOf(failure?.values, "body")
                    : (item.returns.find((r) => r.userId === data.myId)?.body ?? "")
                }
                error={failedItem === String(item.id) ? failure?.errors.body : undefined}
              />
              <Button>Add to the pack</Button>
            </FoldedForm>
          ) : null}
        </section>
      ))}
    </div>
  );
}
