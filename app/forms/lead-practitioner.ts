import { z } from "zod";
import { chosenPersonFields, IGNORE_ISSUES, readChosenPerson, type ChosenPerson } from "./chosen-person";

/**
 * The receiving service names the lead practitioner, who may be from any
 * agency. Where the case is held outside children's social care (after a step
 * down) a named supervisor oversees it, and is someone else.
 */
export function leadPractitionerSchema(supervisorRequired: boolean) {
  return z
    .object({ ...chosenPersonFields("leadPractitioner"), ...chosenPersonFields("supervisor") })
    .superRefine((v, ctx) => {
      const lead = readChosenPerson(v, "leadPractitioner", ctx, { required: true, missing: "Choose the lead practitioner" });
      const supervisor = readChosenPerson(v, "supervisor", ctx, {
        required: supervisorRequired,
        missing: "Choose the supervisor: the case is held outside children's social care, so someone oversees the lead practitioner",
      });
      if (lead && supervisor && "userId" in lead && "userId" in supervisor && lead.userId === supervisor.userId) {
        ctx.addIssue({ code: "custom", path: ["supervisor"], message: "Choose a supervisor other than the lead practitioner" });
      }
    })
    .transform((v) => ({
      lead: readChosenPerson(v, "leadPractitioner", IGNORE_ISSUES, { required: false, missing: "" }) as ChosenPerson,
      supervisor: readChosenPerson(v, "supervisor", IGNORE_ISSUES, { required: false, missing: "" }),
    }));
}
