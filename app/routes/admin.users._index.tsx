import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NotificationBanner, Tag } from "../components/govuk";
import { ROLE_NAMES } from "../lib/navigation";
import { listUsersForAdmin } from "../services/admin.server";
import { requireRole } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Users – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = requireRole(context, "admin");
  const users = await listUsersForAdmin(context, { user, ip: context.ip });
  return json({ users });
}

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <>
      {saved ? <NotificationBanner>User {saved === "new" ? "added" : "updated"}.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Users</h1>
      <a href="/admin/users/new" className="govuk-button" role="button" draggable="false">
        Add a user
      </a>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Users</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Name
            </th>
            <th scope="col" className="govuk-table__header">
              Email
            </th>
            <th scope="col" className="govuk-table__header">
              Role
            </th>
            <th scope="col" className="govuk-table__header">
              Agency
            </th>
            <th scope="col" className="govuk-table__header">
              Area
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {users.map((u) => (
            <tr className="govuk-table__row" key={u.id}>
              <td className="govuk-table__cell">
                <a className="govuk-link" href={`/admin/users/${u.id}`}>
                  {u.name}
                </a>
              </td>
              <td className="govuk-table__cell">{u.email}</td>
              <td className="govuk-table__cell">{ROLE_NAMES[u.role]}</td>
              <td className="govuk-table__cell">{u.agency_name}</td>
              <td className="govuk-table__cell">{u.area_name ?? "All areas"}</td>
              <td className="govuk-table__cell">{u.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Deactivated</Tag>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
