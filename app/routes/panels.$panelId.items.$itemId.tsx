import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Checkboxes, CsrfInput, ErrorSummary, Select, TextInput, valueOf } from "../components/govuk";
import { agendaItemSchema } from "../forms/panel";
import { formatDate, formatTime } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { editAgendaItem, viewAgendaItem } from "../services/agenda.server";

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
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const panelId = idParam(params.panelId);
  const itemId = idParam(params.itemId);
  const values = formValues(await readForm(request, context));
  const parsed = validate(agendaItemSchema, values);
  if (!parsed.ok) return formFailure(parsed.errors, values);
  await editAgendaItem(context, actor, panelId, itemId, parsed.data);
  return redirect(`/panels/${panelId}?done=saved#item-${itemId}`);
}

export default function AgendaItem() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? data.values;
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
          Now {data.slot}. The panel runs {data.panelTimes}.
        </p>
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
            error={failure?.errors.slotMinutes}
          />
          <TextInput
            name="pinnedStart"
            label="Fixed start time (optional)"
            hint="For example, 10:30 or 2:30pm. Leave empty to follow the item before."
            width="5"
            defaultValue={valueOf(values, "pinnedStart")}
            error={failure?.errors.pinnedStart}
          />
          <Checkboxes
            name="agencyIds"
            legend="Agencies to invite for this item"
            hint="Their people in this area get an invite for this slot only."
            values={values}
            options={data.agencies}
            error={failure?.errors.agencyIds}
          />
          <Checkboxes
            name="userIds"
            legend="People to invite for this item"
            values={values}
            options={data.people}
            error={failure?.errors.userIds}
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
                error={failure?.errors.contactName}
              />
              <TextInput
                name="contactEmail"
                type="email"
                label="Contact's email address"
                defaultValue={valueOf(values, "contactEmail")}
                error={failure?.errors.contactEmail}
              />
              <Select
                name="contactAgencyId"
                label="Contact's agency"
                placeholder="Choose the agency"
                options={data.emptyAgencies}
                defaultValue={valueOf(values, "contactAgencyId")}
                error={failure?.errors.contactAgencyId}
              />
            </fieldset>
          ) : null}
          <Button>Save the item</Button>
        </Form>
      </div>
    </div>
  );
}
