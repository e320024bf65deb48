import { WEEKDAY_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { Button, Checkboxes, CsrfInput, DateInput, ErrorSummary, Select, TextInput, valueOf } from "../components/govuk";
import { scheduleSchema } from "../forms/panel";
import { todayIn } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { DEFAULT_SCHEDULE } from "../lib/panel-schedule";
import { idParam } from "../lib/params";
import { actorMay, notFound } from "../services/authorise.server";
import { saveSchedule, scheduleForEdit } from "../services/panel-schedules.server";
import { may } from "../lib/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.area ?? "Area"} panel schedule – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "editSchedules");
  const view = await scheduleForEdit(context, actor, idParam(params.areaId));
  if (!view) throw notFound();
  const s = view.schedule;
  const first = DateTime.fromISO(s?.anchor_date ?? view.today);
  return json({
    area: view.area.name,
    values: {
      weekday: s?.weekday ?? DEFAULT_SCHEDULE.weekday,
      intervalWeeks: String(s?.interval_weeks ?? DEFAULT_SCHEDULE.intervalWeeks),
      startTime: s?.start_time ?? DEFAULT_SCHEDULE.startTime,
      endTime: s?.end_time ?? DEFAULT_SCHEDULE.endTime,
      cutoffDaysBefore: String(s?.cutoff_days_before ?? DEFAULT_SCHEDULE.cutoffDaysBefore),
      cutoffTime: s?.cutoff_time ?? DEFAULT_SCHEDULE.cutoffTime,
      chairUserId: s?.chair_user_id ? String(s.chair_user_id) : "",
      coreUserIds: (s?.core_user_ids ?? []).map(String),
      coreAgencyIds: (s?.core_agency_ids ?? []).map(String),
      venue: s?.venue ?? "",
      meetingLink: s?.meeting_link ?? "",
      version: s ? String(s.version) : "",
      firstDay: s ? String(first.day) : "",
      firstMonth: s ? String(first.month) : "",
      firstYear: s ? String(first.year) : "",
    },
    chairs: view.people.filter((p) => may(p, "managePanels")).map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
    people: view.people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
    agencies: view.agencies.map((a) => ({ value: String(a.id), label: a.name })),
    lacksEarlyHelp: view.lacksEarlyHelp,
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "editSchedules");
  const areaId = idParam(params.areaId);
  const values = formValues(await readForm(request, context));
  const today = todayIn(context);
  const parsed = validate(scheduleSchema(today), values);
  if (!parsed.ok) return formFailure(parsed.errors, values);
  await saveSchedule(context, actor, areaId, parsed.data);
  return redirect("/schedules?saved=1");
}

export default function EditSchedule() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? data.values;
  const e = failure?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/schedules" className="govuk-back-link">
          Back to schedules
        </a>
        <ErrorSummary errors={failure?.errors} labels={{ firstDay: "firstDay" }} />
        <h1 className="govuk-heading-l">{data.area} panel schedule</h1>
        {data.lacksEarlyHelp ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              This schedule has no early help core member or agency: early help will not be at these panels unless someone is invited for
              each item.
            </strong>
          </div>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="version" value={valueOf(values, "version")} />
          <Select
            name="weekday"
            label="Day the panel meets"
            options={Object.entries(WEEKDAY_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={valueOf(values, "weekday")}
            error={e.weekday}
          />
          <TextInput
            name="intervalWeeks"
            label="Weeks between panels"
            hint="2 for fortnightly"
            width="5"
            inputMode="numeric"
            defaultValue={valueOf(values, "intervalWeeks")}
            error={e.intervalWeeks}
          />
          <DateInput
            prefix="first"
            legend="Date of the first panel in the series"
            hint="It must fall on the day the panel meets. For example, 2 12 2026"
            values={values}
            error={e.firstDay}
          />
          <TextInput
            name="startTime"
            label="Start time"
            hint="UK time, for example 10:00 or 2pm"
            width="5"
            defaultValue={valueOf(values, "startTime")}
            error={e.startTime}
          />
          <TextInput
            name="endTime"
            label="End time"
            hint="Like 12:00"
            width="5"
            defaultValue={valueOf(values, "endTime")}
            error={e.endTime}
          />
          <TextInput
            name="cutoffDaysBefore"
            label="Referral cut-off: days before the panel"
            hint="7 means the same weekday a week before"
            width="5"
            inputMode="numeric"
            defaultValue={valueOf(values, "cutoffDaysBefore")}
            error={e.cutoffDaysBefore}
          />
          <TextInput
            name="cutoffTime"
            label="Referral cut-off time"
            hint="Like 16:00"
            width="5"
            defaultValue={valueOf(values, "cutoffTime")}
            error={e.cutoffTime}
          />
          <Select
            name="chairUserId"
            label="Chair"
            placeholder="No chair yet"
            options={data.chairs}
            defaultValue={valueOf(values, "chairUserId")}
            error={e.chairUserId}
          />
          <Checkboxes
            name="coreUserIds"
            legend="Core members"
            hint="Invited to every panel."
            values={values}
            options={data.people}
            error={e.coreUserIds}
          />
          <Checkboxes
            name="coreAgencyIds"
            legend="Core agencies"
            hint="Their people in this area are invited to every panel."
            values={values}
            options={data.agencies}
            error={e.coreAgencyIds}
          />
          <TextInput name="venue" label="Venue" defaultValue={valueOf(values, "venue")} error={e.venue} />
          <TextInput
            name="meetingLink"
            type="url"
            label="Virtual meeting link"
            defaultValue={valueOf(values, "meetingLink")}
            error={e.meetingLink}
          />
          <Button>Save the schedule</Button>
        </Form>
      </div>
    </div>
  );
}
