import { DECISION_LABELS } from "../lib/labels";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { navigationFor, ROLE_NAMES } from "../lib/navigation";
import { formatDate, formatDateTime } from "../lib/dates";
import { requireUser } from "../services/authorise.server";
import { inFrontDoorTeam } from "../services/front-door.server";
import { homeSummary } from "../services/home.server";

export const meta: MetaFunction = () => [{ title: "Home – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = requireUser(context);
  const [summary, frontDoorTeam] = await Promise.all([
    homeSummary(context, { user, ip: context.ip }),
    inFrontDoorTeam(context, { user, ip: context.ip }),
  ]);
  return json({
    summary: summary && {
      ...summary,
      nextPanel: summary.nextPanel && { ...summary.nextPanel, when: formatDateTime(summary.nextPanel.startsAt) },
      recentDecisions: summary.recentDecisions.map((d) => ({
        id: d.id,
        reference: d.reference,
        outcome: DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome,
        at: formatDate(d.decidedAt),
        until: d.challengeable ? formatDate(d.until) : null,
      })),
    },
    name: user.name,
    roleName: ROLE_NAMES[user.role],
    links: navigationFor(user.role, context.settings).filter((item) => item.href !== "/"),
    frontDoor: context.settings.frontDoor,
    frontDoorTeam,
  });
}

/** "a professional", "an administrator", "an auditor". */
function withArticle(noun: string) {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-xl">{`Welcome, ${data.name}`}</h1>
      <p className="govuk-body-l">You are signed in as {withArticle(data.roleName.toLowerCase())}.</p>
      <div className="govuk-inset-text">
        If a child is at immediate risk of harm, do not wait for a panel: contact the front door now on{" "}
        <strong>{data.frontDoor.phone}</strong> or <strong>{data.frontDoor.email}</strong>.
      </div>
      {data.frontDoorTeam ? (
        <p className="govuk-body">
          <a className="govuk-link govuk-!-font-weight-bold" href="/front-door">
            Referrals for the front door
          </a>
        </p>
      ) : null}
      {data.summary ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <h2 className="govuk-heading-s">Your actions</h2>
            <p className="govuk-body">
              <a className="govuk-link" href="/actions">
                {data.summary.open} open
              </a>
              {data.summary.overdue ? `, ${data.summary.overdue} overdue` : ""}
              {data.summary.dueSoon ? `, ${data.summary.dueSoon} due soon` : ""}
            </p>
          </div>
          <div className="govuk-grid-column-one-third">
            <h2 className="govuk-heading-s">Professional challenges</h2>
            <p className="govuk-body">
              <a className="govuk-link" href="/challenges">
                {data.summary.challenges} open
              </a>
              {data.summary.challengesOverdue ? `, ${data.summary.challengesOverdue} overdue` : ""}
            </p>
          </div>
          <div className="govuk-grid-column-one-third">
            <h2 className="govuk-heading-s">Next panel</h2>
            <p className="govuk-body">
              {data.summary.nextPanel ? (
                <a className="govuk-link" href={`/panels/${data.summary.nextPanel.id}`}>
                  {data.summary.nextPanel.area}
                  {data.summary.nextPanel.kind === "extraordinary" ? " (extraordinary)" : ""}, {data.summary.nextPanel.when}:{" "}
                  {data.summary.nextPanel.items} request{data.summary.nextPanel.items === 1 ? "" : "s"}
                </a>
              ) : (
                "None in the next six weeks"
              )}
            </p>
            {data.summary.nextPanel?.live ? (
              <p className="govuk-body">
                <a className="govuk-link" href={`/panels/${data.summary.nextPanel.id}/live`}>
                  In session now: follow it live
                </a>
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {data.summary?.recentDecisions.length ? (
        <section aria-labelledby="recent-decisions-heading">
          <h2 className="govuk-heading-m" id="recent-decisions-heading">
            Your recent panel decisions
          </h2>
          <ul className="govuk-list">
            {data.summary.recentDecisions.map((d) => (
              <li key={d.id}>
                <a className="govuk-link" href={`/cases/${d.reference}`}>
                  {d.reference}
                </a>
                : {d.outcome}, {d.at}
                {d.until ? (
                  <>
                    {" "}
                    –{" "}
                    <a className="govuk-link" href={`/cases/${d.reference}/challenge?decision=${d.id}`}>
                      Challenge this decision<span className="govuk-visually-hidden"> on case {d.reference}</span>
                    </a>{" "}
                    (until {d.until})
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.links.length ? (
        <>
          <h2 className="govuk-heading-m">What you can do</h2>
          <ul className="govuk-list">
            {data.links.map((link) => (
              <li key={link.href}>
                <a className="govuk-link" href={link.href}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
