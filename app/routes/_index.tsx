import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { navigationFor, ROLE_NAMES } from "../lib/navigation";
import { requireUser } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Home – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = requireUser(context);
  return json({
    name: user.name,
    roleName: ROLE_NAMES[user.role],
    links: navigationFor(user.role).filter((item) => item.href !== "/"),
    frontDoor: context.settings.frontDoor,
  });
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-xl">{`Welcome, ${data.name}`}</h1>
      <p className="govuk-body-l">You are signed in as a {data.roleName.toLowerCase()}.</p>
      <div className="govuk-inset-text">
        If a child is at immediate risk of harm, do not wait for a panel: contact the front door now on{" "}
        <strong>{data.frontDoor.phone}</strong> or <strong>{data.frontDoor.email}</strong>.
      </div>
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
