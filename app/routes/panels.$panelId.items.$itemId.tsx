import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Checkboxes, CsrfInput, ErrorSummary, Radios, Select, Textarea, TextInput, valueOf } from "../components/govuk";
import { agendaItemSchema, sortRequestSchema } from "../forms/panel";
import { formatDate, formatDateTime, formatTime } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { editAgendaItem, viewAgendaItem } from "../services/agenda.server";
import { SORTING, sortRequest } from "../services/triage.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Agenda item ${data?.reference ?? ""} – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const view = await viewAgendaItem(context, actor, idParam(params.panelId), idParam(params.itemId));
  const { item, panel } = view;
  return json({
    panelId: panel.id,
    panelTitle: `${panel.area_name} panel, ${formatDate(panel.meeting_date)}`,
    panelTimes: `${formatTime(panel.starts_at)} to ${formatTime(panel.ends_at)}`,
    version: panel.version,
    itemId: item.id,
    reference: item.reference,
    slot: `${formatTime(item.slot.startsAt)} to ${formatTime(item.slot.endsAt)}`,
    values: {
      slotMinutes: String(item.slot_minutes),
      pinnedStart: item.pinned_start ?? "",
      agencyIds: item.invited_agency_ids.map(String),
      userIds: item.invited_user_ids.map(String),
    },
    agencies: view.agencies
      .filter((a) => a.kind !== "childrens_social_care")
      .map((a) => ({
        value: String(a.id),
        label: view.agenciesWithNobody.includes(a.id) ? `${a.name} (nobody signed up here: name a contact below)` : a.name,
      })),
    emptyAgencies: view.agencies
      .filter((a) => a.kind !== "childrens_social_care" && view.agenciesWithNobody.includes(a.id))
      .map((a) => ({ value: String(a.id), label: a.name })),
    people: view.people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
    // Before the meeting the chair sorts the request once: list it, ask for more, or close it with advice.
    sortable: SORTING.includes(panel.status) && !item.sorted_at,
    listed: Boolean(item.sorted_at),
    questions: view.questions.map((q) => ({
      id: q.id,
      asked: `${q.asked_by}, ${formatDateTime(q.asked_at)}`,
      question: q.question,
      answer: q.answer,
      answered: q.answered_at ? `${q.answered_by ?? "The requester"}, ${formatDateTime(q.answered_at)}` : null,
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const panelId = idParam(params.panelId);
  const itemId = idParam(params.itemId);
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values = { ...formValues(formData), ...(intent ? { intent } : {}) };
  if (intent === "sort") {
    const sorted = validate(sortRequestSchema, { ...values, itemId: String(itemId) });
    if (!sorted.ok) return formFailure(sorted.errors, values);
    const done = await sortRequest(context, actor, panelId, sorted.data);
    return redirect(`/panels/${panelId}?done=${done}${done === "listed" ? `#item-${itemId}` : ""}`);
  }
  const parsed = validate(agendaItemSchema, values);
  if (!parsed.ok) return formFailure(parsed.errors, values);
  await editAgendaItem(context, actor, panelId, itemId, parsed.data);
  return redirect(`/panels/${panelId}?done=saved#item-${itemId}`);
}

export default function AgendaItem() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const sortFailed = valueOf(failure?.values, "intent") === "sort";
  const values = (sortFailed ? undefined : failure?.values) ?? data.values;
  const sortErrors = sortFailed ? failure?.errors : undefined;
  const slotErrors = sortFailed ? undefined : failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/panels/${data.panelId}`} className="govuk-back-link">
          Back to the agenda
        </a>
        <ErrorSummary errors={failure?.errors} />
        <span className="govuk-caption-l">{data.panelTitle}</span>
        <h1 className="govuk-heading-l">Agenda item {data.reference}</h1>
        <p className="govuk-body">
          Now {data.slot}. The panel runs {data.panelTimes}.{data.listed ? " You have listed this request for the panel." : null}
        </p>
        {data.questions.length ? (
          <>
            <h2 className="govuk-heading-m">Questions to the requester</h2>
            <dl className="govuk-summary-list">
              {data.questions.map((q) => (
                <div className="govuk-summary-list__row" key={q.id}>
                  <dt className="govuk-summary-list__key">
                    {q.question}
                    <span className="govuk-hint govuk-!-margin-bottom-0">{`Asked by ${q.asked}`}</span>
                  </dt>
                  <dd className="govuk-summary-list__value">
                    {q.answer ?? "Not answered yet"}
                    {q.answered ? <span className="govuk-hint govuk-!-margin-bottom-0">{`Answered by ${q.answered}`}</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : null}
        {data.sortable ? (
          <>
            <h2 className="govuk-heading-m" id="sort">
              Sort this request
            </h2>
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="sort" />
              <input type="hidden" name="version" value={data.version} />
              <input type="hidden" name="itemId" value={data.itemId} />
              <Radios
                name="choice"
                legend="What should happen to this request before the panel?"
                defaultValue={valueOf(failure?.values, "choice")}
                error={sortErrors?.choice}
                options={[
                  { value: "list", label: "List it for this panel" },
                  {
                    value: "ask",
                    label: "Ask the requester for more information",
                    hint: "It leaves this agenda until they answer, then goes on the next panel whose cut-off allows.",
                  },
                  {
                    value: "close",
                    label: "Close it with advice",
                    hint: "Your advice is the decision's reasons: a step up is recorded as signposted, a step down as not agreed (it stays with social care). The requester's agency keeps the risk.",
                  },
                ]}
              />
              <Textarea
                name="question"
                label="Your question (if asking for more information)"
                hint="The requester reads it in Threshold; the email says only that there is a question."
                maxLength={2000}
                defaultValue={valueOf(failure?.values, "question")}
                error={sortErrors?.question}
              />
              <Textarea
                name="advice"
                label="Your advice (if closing it)"
                maxLength={2000}
                defaultValue={valueOf(failure?.values, "advice")}
                error={sortErrors?.advice}
              />
              <Button>Save</Button>
            </Form>
            <h2 className="govuk-heading-m">Slot and invitations</h2>
          </>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="version" value={data.version} />
          <TextInput
            name="slotMinutes"
            label="Slot length in minutes"
            hint="Usually 10 to 15 minutes."
            width="5"
            inputMode="numeric"
            defaultValue={valueOf(values, "slotMinutes")}
            error={slotErrors?.slotMinutes}
          />
          <TextInput
            name="pinnedStart"
            label="Fixed start time (optional)"
            hint="For example, 10:30 or 2:30pm. Leave empty to follow the item before."
            width="5"
            defaultValue={valueOf(values, "pinnedStart")}
            error={slotErrors?.pinnedStart}
          />
          <Checkboxes
            name="agencyIds"
            legend="Agencies to invite for this item"
            hint="Their people in this area get an invite for this slot only."
            values={values}
            options={data.agencies}
            error={slotErrors?.agencyIds}
          />
          <Checkboxes
            name="userIds"
            legend="People to invite for this item"
            values={values}
            options={data.people}
            error={slotErrors?.userIds}
          />
          {data.emptyAgencies.length ? (
            <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Contact for an agency with nobody signed up</legend>
              <div className="govuk-hint">
                An invite to such an agency would reach nobody. Name the person to invite: they get the slot invite and an email to set up
                their account, and are kept as the agency&apos;s contact.
              </div>
              <TextInput
                name="contactName"
                label="Contact's full name"
                defaultValue={valueOf(values, "contactName")}
                error={slotErrors?.contactName}
              />
              <TextInput
                name="contactEmail"
                type="email"
                label="Contact's email address"
                defaultValue={valueOf(values, "contactEmail")}
                error={slotErrors?.contactEmail}
              />
              <Select
                name="contactAgencyId"
                label="Contact's agency"
                placeholder="Choose the agency"
                options={data.emptyAgencies}
                defaultValue={valueOf(values, "contactAgencyId")}
                error={slotErrors?.contactAgencyId}
              />
            </fieldset>
          ) : null}
          <Button>Save the item</Button>
        </Form>
      </div>
    </div>
  );
}
