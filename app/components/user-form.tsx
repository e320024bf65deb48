import { ROLE_LABELS } from "../lib/labels";
import { Form } from "@remix-run/react";
import { ROLES } from "../lib/organisation";
import type { FieldErrors, FormValues } from "../lib/validation";
import { Button, CsrfInput, Radios, Select, TextInput, valueOf } from "./govuk";

export function UserForm({
  values,
  errors,
  areas,
  agencies,
  isNew,
}: {
  values?: FormValues;
  errors?: FieldErrors;
  areas: Array<{ id: number; name: string }>;
  agencies: Array<{ id: number; name: string }>;
  isNew: boolean;
}) {
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      <TextInput name="name" label="Full name" autoComplete="off" defaultValue={valueOf(values, "name")} error={errors?.name} />
      <TextInput
        name="email"
        label="Email address"
        type="email"
        spellCheck={false}
        autoComplete="off"
        defaultValue={valueOf(values, "email")}
        error={errors?.email}
      />
      <Radios
        name="role"
        legend="Role"
        legendSize="s"
        defaultValue={valueOf(values, "role")}
        error={errors?.role}
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
      />
      <Select
        name="agencyId"
        label="Agency"
        placeholder="Select an agency"
        defaultValue={valueOf(values, "agencyId")}
        error={errors?.agencyId}
        options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
      />
      <Select
        name="areaId"
        label="Area"
        hint="A manager who acts for the whole service chooses all areas; a manager with no area sees no cases"
        placeholder="No area"
        defaultValue={valueOf(values, "areaId")}
        error={errors?.areaId}
        options={[{ value: "all", label: "All areas (managers only)" }, ...areas.map((a) => ({ value: String(a.id), label: a.name }))]}
      />
      {isNew ? (
        <TextInput
          name="password"
          label="Password (optional)"
          hint="At least 12 characters. Leave blank to let the person set one later."
          type="password"
          autoComplete="new-password"
          error={errors?.password}
        />
      ) : (
        <Radios
          name="active"
          legend="Can this person sign in?"
          legendSize="s"
          inline
          defaultValue={valueOf(values, "active", "yes")}
          error={errors?.active}
          options={[
            { value: "yes", label: "Yes, active" },
            { value: "no", label: "No, deactivated" },
          ]}
        />
      )}
      <Button>{isNew ? "Add user" : "Save changes"}</Button>
    </Form>
  );
}
