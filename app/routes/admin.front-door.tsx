import { frontDoorTeamSchema } from "../forms/admin";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, Checkboxes, CsrfInput, ErrorSummary, NotificationBanner } from "../components/govuk";
import { handleForm, type FormFailure } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { frontDoorTeamForAdmin, setFrontDoorTeam } from "../services/front-door.server";

export const meta: MetaFunction = () => [{ title: "Front-door team – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "administer");
  return json({ people: await frontDoorTeamForAdmin(context, actor) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  return handleForm(request, context, frontDoorTeamSchema, async (input) => {
    await setFrontDoorTeam(context, actor, input["userIds[]"]);
    return redirect("/admin/front-door?saved=yes");
  });
}

export default function FrontDoorTeam() {
  const { people } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const members = people.filter((p) => p.member);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {search.get("saved") ? <NotificationBanner>Front-door team saved.</NotificationBanner> : null}
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Front-door team</h1>
        <p className="govuk-body">
          When a professional reports a child at immediate risk of harm, the people here are emailed the case reference at once and see the
          referral, the child and how to reach the person reporting it under <strong>Referrals for the front door</strong>.
        </p>
        {members.length ? null : (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Nobody is in the front-door team: referrals go to the area&apos;s team managers until you name someone.
            </strong>
          </div>
        )}
        <Form method="post">
          <CsrfInput />
          <Checkboxes
            name="userIds[]"
            legend="Who is in the front-door team"
            error={failure?.errors["userIds[]"]}
            values={{ "userIds[]": members.map((p) => String(p.id)) }}
            options={people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency}` }))}
          />
          <Button>Save</Button>
        </Form>
      </div>
    </div>
  );
}
