import { settleAccountSchema } from "../forms/admin";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, NotificationBanner, Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { readForm } from "../lib/http.server";
import { validate } from "../lib/validation";
import { ROLE_NAMES } from "../lib/navigation";
import { listAccountsToConfirm, listUsersForAdmin, settleMadeAccount } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Users – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "administer");
  const [users, toConfirm] = await Promise.all([listUsersForAdmin(context, actor), listAccountsToConfirm(context, actor)]);
  return json({ users, toConfirm });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const form = await readForm(request, context);
  const parsed = validate(settleAccountSchema, { userId: form.get("userId"), intent: form.get("intent") });
  if (!parsed.ok) throw new Response("The request was not understood", { status: 400 });
  await settleMadeAccount(context, actor, parsed.data.userId, parsed.data.intent);
  return redirect(`/admin/users?settled=${parsed.data.intent}`);
}

export default function Users() {
  const { users, toConfirm } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const settled = params.get("settled");
  return (
    <>
      {saved ? <NotificationBanner>User {saved === "new" ? "added" : "updated"}.</NotificationBanner> : null}
      {settled ? <NotificationBanner>Account {settled === "confirm" ? "confirmed" : "removed"}.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Users</h1>
      <a href="/admin/users/new" className="govuk-button" role="button" draggable="false">
        Add a user
      </a>
      {toConfirm.length ? (
        <>
          <h2 className="govuk-heading-m">Accounts made at panels, to confirm or remove</h2>
          <p className="govuk-body">
            A chair made these accounts for a contact invited to one agenda item or for a new action owner. Each reaches only that item or
            action until you confirm it, and keeps to its own part in a case after that.
          </p>
          <Table
            caption="Accounts to confirm"
            captionSize="s"
            rows={toConfirm}
            rowKey={(u) => u.id}
            columns={[
              { header: "Name", cell: (u) => u.name },
              { header: "Email", cell: (u) => u.email },
              { header: "Agency", cell: (u) => u.agency_name },
              { header: "Made by", cell: (u) => `${u.made_by}, ${formatDateTime(u.created_at)}` },
              {
                header: "Settle",
                cell: (u) => (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="userId" value={u.id} />
                    <div className="govuk-button-group">
                      <Button secondary name="intent" value="confirm">
                        Confirm<span className="govuk-visually-hidden"> {u.name}</span>
                      </Button>{" "}
                      <Button warning name="intent" value="remove">
                        Remove<span className="govuk-visually-hidden"> {u.name}</span>
                      </Button>
                    </div>
                  </Form>
                ),
              },
            ]}
          />
        </>
      ) : null}
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
