import { STEP_DOWN_SERVICES } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { answersAsValues, REQUEST_QUESTIONS } from "../lib/request-answers";
import { Button, Checkboxes, CsrfInput, DateInput, ErrorSummary, Radios, Select, TextInput, Textarea, valueOf } from "../components/govuk";
import { CURRENT_PLANS, DISABILITY_CODES, ETHNICITY_CODES, SEN_PROVISION_CODES } from "../../domain/census-codes";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { formValues, type FormValues } from "../lib/validation";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { getDraft, requestAgencyChoices, saveDraftPage, riskPageFor } from "../services/requests.server";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.kind === "step_down" ? "Step-down" : "Step-up"} details – Threshold` },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const draft = await getDraft(context, actor, idParam(params.id));
  if (draft.status !== "draft") throw redirect("/submissions");
  const riskPage = riskPageFor(draft);
  if (riskPage) throw redirect(riskPage);
  const agencies = await requestAgencyChoices(context, actor, draft);
  return json({ values: answersAsValues(draft.answers), kind: draft.kind, agencies });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  const values = formValues(await readForm(request, context));
  if (!values["agencies[]"]) values["agencies[]"] = [];
  // Unticking every box sends nothing: the draft keeps that none is ticked.
  if (!values["disabilities[]"]) values["disabilities[]"] = [];
  const errors = await saveDraftPage(context, actor, id, "details", values);
  if (errors) return formFailure(errors, values);
  return redirect(`/requests/${id}/check`);
}

const options = (codes: Record<string, string>) => Object.entries(codes).map(([value, label]) => ({ value, label }));

/** What practitioners are expected to give about the child and family; none of it is required. */
function AboutTheChild({ kind, values, errors }: { kind: "step_up" | "step_down"; values: FormValues; errors?: Record<string, string> }) {
  return (
    <>
      <h2 className="govuk-heading-m">About the child and family</h2>
      <p className="govuk-body">Give what you know: the panel sees anything left out as not given.</p>
      <Radios
        name="familyAware"
        legend={REQUEST_QUESTIONS.familyAware}
        legendSize="s"
        inline
        defaultValue={valueOf(values, "familyAware")}
        error={errors?.familyAware}
        options={options({ yes: "Yes", no: "No" })}
      />
      {kind === "step_up" ? (
        <Radios
          name="familyAgrees"
          legend={REQUEST_QUESTIONS.familyAgrees}
          legendSize="s"
          inline
          defaultValue={valueOf(values, "familyAgrees")}
          error={errors?.familyAgrees}
          options={options({ yes: "Yes", no: "No", not_asked: "Not asked" })}
        />
      ) : (
        <>
          <Radios
            name="currentPlan"
            legend={REQUEST_QUESTIONS.currentPlan}
            legendSize="s"
            defaultValue={valueOf(values, "currentPlan")}
            error={errors?.currentPlan}
            options={options(CURRENT_PLANS)}
          />
          <TextInput
            name="allocatedSocialWorker"
            label={REQUEST_QUESTIONS.allocatedSocialWorker}
            defaultValue={valueOf(values, "allocatedSocialWorker")}
            error={errors?.allocatedSocialWorker}
          />
        </>
      )}
      <Textarea
        name="childsWords"
        maxLength={5000}
        label={REQUEST_QUESTIONS.childsWords}
        hint="What the child has told you about home, school and what they want, as they said it"
        defaultValue={valueOf(values, "childsWords")}
        error={errors?.childsWords}
      />
      <TextInput name="school" label={REQUEST_QUESTIONS.school} defaultValue={valueOf(values, "school")} error={errors?.school} />
      <TextInput name="gp" label={REQUEST_QUESTIONS.gp} defaultValue={valueOf(values, "gp")} error={errors?.gp} />
      <Select
        name="ethnicity"
        label={REQUEST_QUESTIONS.ethnicity}
        hint="As the family describes it, in the census's categories"
        placeholder="Not given"
        defaultValue={valueOf(values, "ethnicity")}
        error={errors?.ethnicity}
        options={options(ETHNICITY_CODES)}
      />
      <Checkboxes
        name="disabilities[]"
        legend={REQUEST_QUESTIONS.disabilities}
        hint="Select all that apply"
        values={values}
        error={errors?.["disabilities[]"]}
        options={options(DISABILITY_CODES)}
      />
      <Radios
        name="sen"
        legend={REQUEST_QUESTIONS.sen}
        legendSize="s"
        defaultValue={valueOf(values, "sen")}
        error={errors?.sen}
        options={options(SEN_PROVISION_CODES)}
      />
    </>
  );
}

export default function DetailsPage() {
  const params = useParams();
  const { values: saved, kind, agencies } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? saved;
  const errors = failure?.errors;
  const agencyOptions = agencies.map((a) => ({ value: String(a.id), label: a.name }));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/requests/${params.id}/child`} className="govuk-back-link">
          Back
        </a>
        <ErrorSummary errors={errors} labels={{ "agencies[]": "agencies" }} />
        <span className="govuk-caption-l">Request to the panel</span>
        <h1 className="govuk-heading-l">{`Why the case should ${kindName(kind)}`}</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          {kind === "step_up" ? (
            <>
              <Radios
                name="currentService"
                legend={REQUEST_QUESTIONS.currentService}
                legendSize="s"
                defaultValue={valueOf(values, "currentService")}
                error={errors?.currentService}
                options={[
                  { value: "early_help", label: "Early help" },
                  { value: "volunteer_support", label: "Volunteer Family Support Service" },
                ]}
              />
              <TextInput
                name="leadPractitioner"
                label={REQUEST_QUESTIONS.leadPractitioner}
                defaultValue={valueOf(values, "leadPractitioner")}
                error={errors?.leadPractitioner}
              />
              <Textarea
                name="concerns"
                maxLength={5000}
                label={REQUEST_QUESTIONS.concerns}
                defaultValue={valueOf(values, "concerns")}
                error={errors?.concerns}
              />
              <Textarea
                name="triedSoFar"
                maxLength={5000}
                label={REQUEST_QUESTIONS.triedSoFar}
                defaultValue={valueOf(values, "triedSoFar")}
                error={errors?.triedSoFar}
              />
              <Textarea
                name="familyView"
                maxLength={5000}
                label={REQUEST_QUESTIONS.familyView}
                defaultValue={valueOf(values, "familyView")}
                error={errors?.familyView}
              />
            </>
          ) : (
            <>
              <Textarea
                name="reason"
                maxLength={5000}
                label={REQUEST_QUESTIONS.reason}
                defaultValue={valueOf(values, "reason")}
                error={errors?.reason}
              />
              <Textarea
                name="outcomes"
                maxLength={5000}
                label={REQUEST_QUESTIONS.outcomes}
                hint="One per line"
                defaultValue={valueOf(values, "outcomes")}
                error={errors?.outcomes}
              />
              <Textarea
                name="outstandingTasks"
                maxLength={5000}
                label={REQUEST_QUESTIONS.outstandingTasks}
                defaultValue={valueOf(values, "outstandingTasks")}
                error={errors?.outstandingTasks}
              />
              <Radios
                name="proposedService"
                legend={REQUEST_QUESTIONS.proposedService}
                legendSize="s"
                defaultValue={valueOf(values, "proposedService")}
                error={errors?.proposedService}
                options={Object.entries(STEP_DOWN_SERVICES).map(([value, label]) => ({ value, label }))}
              />
              <TextInput
                name="proposedLead"
                label={REQUEST_QUESTIONS.proposedLead}
                defaultValue={valueOf(values, "proposedLead")}
                error={errors?.proposedLead}
              />
              <Radios
                name="consent"
                legend={REQUEST_QUESTIONS.consent}
                legendSize="s"
                hint="Early help is voluntary: consent is needed for a step down to early help or volunteer support"
                inline
                defaultValue={valueOf(values, "consent")}
                error={errors?.consent}
                options={[
                  { value: "given", label: "Yes, given" },
                  { value: "not_given", label: "No, not given" },
                ]}
              />
              <DateInput
                prefix="consent"
                legend={REQUEST_QUESTIONS.consentDate}
                hint="For example, 20 11 2026"
                values={values}
                error={errors?.consentDay}
              />
              <TextInput
                name="consentHow"
                label={REQUEST_QUESTIONS.consentHow}
                hint="For example, in person at a home visit"
                defaultValue={valueOf(values, "consentHow")}
                error={errors?.consentHow}
              />
            </>
          )}
          <AboutTheChild kind={kind} values={values} errors={errors} />
          <Checkboxes
            name="agencies[]"
            legend="Agencies involved with the family"
            hint="Their partners can see this case and will be invited for its agenda item"
            values={values}
            error={errors?.["agencies[]"]}
            options={agencyOptions}
          />
          <Button>Save and continue</Button>
        </Form>
      </div>
    </div>
  );
}
