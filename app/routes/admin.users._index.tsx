import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NotificationBanner, Tag, Table } from "../components/govuk";
import { ROLE_NAMES } from "../lib/navigation";
import { listUsersForAdmin } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Users – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
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
      <Table
        caption="Users"
        rows={users}
        rowKey={(u) => u.id}
        columns={[
          {
            header: "Name",
            cell: (u) => (
              <>
                <a className="govuk-link" href={`/admin/users/${u.id}`}>
                  {u.name}
                </a>
              </>
            ),
          },
          { header: "Email", cell: (u) => u.email },
          { header: "Role", cell: (u) => ROLE_NAMES[u.role] },
          { header: "Agency", cell: (u) => u.agency_name },
          { header: "Area", cell: (u) => u.area_name ?? "All areas" },
          { header: "Status", cell: (u) => (u.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Deactivated</Tag>) },
        ]}
      />
    </>
  );
}
