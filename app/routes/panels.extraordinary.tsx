import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Button,
  Checkboxes,
  CsrfInput,
  DateInput,
  ErrorSummary,
  NotificationBanner,
  Select,
  Tag,
  Textarea,
  TextInput,
  valueOf,
} from "../components/govuk";
import { declineSchema, extraordinarySchema } from "../forms/panel";
import { optionalIdQuery } from "../lib/params";
import { formatDate, formatDateTime, formatTime, todayIn } from "../lib/dates";
import { formValues, validate, type FormValues } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { actorMay, badRequest } from "../services/authorise.server";
import {
  callExtraordinaryPanel,
  decideExtraordinaryRequest,
  extraordinaryOptions,
  requestExtraordinaryPanel,
} from "../services/extraordinary.server";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "Extraordinary panels – Threshold" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const areaId = optionalIdQuery(new URL(request.url).searchParams.get("area"));
  const view = await extraordinaryOptions(context, actor, areaId);
  return json({
    areas: view.areas.map((a) => ({ value: String(a.id), label: a.name })),
    area: view.area,
    waiting: view.waiting,
    requests: view.requests.map((r) => ({
      value: String(r.id),
      label: `${r.reference} – ${kindName(r.kind)} from ${r.agency_name}, now on the ${formatDate(r.meeting_date)} panel`,
    })),
    pending: view.pending.map((p) => ({
      id: p.id,
      area: p.area_name,
      by: p.requested_by,
      when: `${formatDate(p.starts_at)}, ${formatTime(p.starts_at)} to ${formatTime(p.ends_at)}`,
      reason: p.reason,
      status: p.status,
      declineReason: p.decline_reason,
      panelId: p.panel_id,
      asked: formatDateTime(p.created_at),
      items: p.request_ids.length,
    })),
    mayCall: view.mayCall,
    invitees: view.invitees.map((p) => ({
      value: String(p.id),
      label: `${p.name}, ${p.agency_name}${p.core ? " (core member)" : p.advised ? " (made a waiting request)" : ""}`,
    })),
    coreIds: view.invitees.filter((p) => p.core).map((p) => String(p.id)),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const formData = await readForm(request, context);
  const intent = String(formData.get("intent") ?? "");
  const values: FormValues = { ...formValues(formData), intent };
  const today = todayIn(context);
  if (intent === "call" || intent === "ask") {
    const parsed = validate(extraordinarySchema(today), values);
    if (!parsed.ok) return formFailure(parsed.errors, values);
    if (intent === "call") {
      const panelId = await callExtraordinaryPanel(context, actor, parsed.data);
      return redirect(`/panels/${panelId}`);
    }
    await requestExtraordinaryPanel(context, actor, parsed.data);
    return redirect(`/panels/extraordinary?area=${parsed.data.areaId}&done=asked`);
  }
  const id = Number(formData.get("requestId"));
  if (!Number.isSafeInteger(id) || id <= 0) throw badRequest("The form could not be read");
  if (intent === "approve") {
    const panelId = await decideExtraordinaryRequest(context, actor, id, { approve: true });
    return redirect(`/panels/${panelId}`);
  }
  if (intent === "decline") {
    const parsed = validate(declineSchema, { reason: values[`reason-${id}`] });
    if (!parsed.ok) return formFailure({ [`reason-${id}`]: parsed.errors.reason }, values);
    await decideExtraordinaryRequest(context, actor, id, { approve: false, reason: parsed.data.reason });
    return redirect("/panels/extraordinary?done=declined");
  }
  throw badRequest("Choose an action");
}

export default function Extraordinary() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const e = failure?.errors ?? {};
  const values = failure?.values;
  const done = search.get("done");
  return (
    <>
      <ErrorSummary errors={failure?.errors} labels={{ meetingDay: "meetingDay" }} />
      {done === "asked" ? <NotificationBanner>Your request was sent to the service managers.</NotificationBanner> : null}
      {done === "declined" ? <NotificationBanner>The request was declined and the team manager told why.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Extraordinary panels</h1>
      {!data.area ? (
        <Form method="get">
          <Select name="area" label="Which area needs an extraordinary panel?" options={data.areas} placeholder="Choose an area" />
          <Button>Continue</Button>
        </Form>
      ) : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <div className="govuk-inset-text">
              {data.area.name}: <strong>{data.waiting?.stepDown ?? 0}</strong> step-down and <strong>{data.waiting?.stepUp ?? 0}</strong>{" "}
              step-up requests are waiting for a panel.
            </div>
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="areaId" value={data.area.id} />
              <DateInput prefix="meeting" legend="Date of the panel" hint="For example, 27 11 2026" values={values} error={e.meetingDay} />
              <TextInput
                name="startTime"
                label="Start time"
                hint="For example, 14:00 or 2pm"
                width="5"
                defaultValue={valueOf(values, "startTime")}
                error={e.startTime}
              />
              <TextInput
                name="endTime"
                label="End time"
                hint="Like 15:30"
                width="5"
                defaultValue={valueOf(values, "endTime")}
                error={e.endTime}
              />
              <Textarea
                name="reason"
                label="Why is it needed?"
                hint="For example, a spike in step-down requests"
                defaultValue={valueOf(values, "reason")}
                error={e.reason}
              />
              <Checkboxes
                name="requestIds"
                legend="Requests to move onto it"
                hint="They leave the routine panel they are on. Their agencies are invited for their slots; core members are invited to the whole panel."
                values={values}
                options={data.requests}
                error={e.requestIds}
              />
              <input type="hidden" name="attendeesShown" value="yes" />
              <Checkboxes
                name="attendeeIds"
                legend="Who to invite to the whole panel"
                hint="The area's core members are ticked; untick anyone not needed. People who made waiting requests are pointed out. The chair and you are always invited; agencies for a request get their slot's invite."
                values={values ?? { attendeeIds: data.coreIds }}
                options={data.invitees}
                error={e.attendeeIds}
              />
              <TextInput
                name="venue"
                label="Venue (optional)"
                hint="Leave empty to use the area's usual venue"
                defaultValue={valueOf(values, "venue")}
                error={e.venue}
              />
              <TextInput
                name="meetingLink"
                type="url"
                label="Virtual meeting link (optional)"
                defaultValue={valueOf(values, "meetingLink")}
                error={e.meetingLink}
              />
              {data.mayCall ? (
                <Button name="intent" value="call">
                  Call the panel and invite everyone now
                </Button>
              ) : (
                <Button name="intent" value="ask">
                  Ask a service manager to call it
                </Button>
              )}
            </Form>
          </div>
        </div>
      )}

      <h2 className="govuk-heading-m">Requests for extraordinary panels</h2>
      {data.pending.length === 0 ? <p className="govuk-body">None.</p> : null}
      {data.pending.map((p) => (
        <div className="govuk-summary-card" key={p.id}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">
              {p.area}, {p.when} <Tag colour={p.status === "pending" ? "blue" : p.status === "approved" ? "green" : "red"}>{p.status}</Tag>
            </h3>
          </div>
          <div className="govuk-summary-card__content">
            <p className="govuk-body">
              Asked by {p.by} on {p.asked}: {p.reason} ({p.items} request{p.items === 1 ? "" : "s"} chosen)
            </p>
            {p.declineReason ? <p className="govuk-body">Declined: {p.declineReason}</p> : null}
            {p.panelId ? (
              <p className="govuk-body">
                <a className="govuk-link" href={`/panels/${p.panelId}`}>
                  See the panel
                </a>
              </p>
            ) : null}
            {data.mayCall && p.status === "pending" ? (
              <>
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="requestId" value={p.id} />
                  <Button name="intent" value="approve">
                    Approve and call the panel
                  </Button>
                </Form>
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="requestId" value={p.id} />
                  <Textarea
                    name={`reason-${p.id}`}
                    label="Reason for declining"
                    defaultValue={valueOf(values, `reason-${p.id}`)}
                    error={e[`reason-${p.id}`]}
                  />
                  <Button name="intent" value="decline" secondary>
                    Decline
                  </Button>
                </Form>
              </>
            ) : null}
          </div>
        </div>
      ))}
    </>
  );
}
