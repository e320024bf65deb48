import { z } from "zod";
import { DECISION_OUTCOMES } from "../../machines/case-journey/case-journey.machine";
import { AGENCY_KINDS } from "../../db/schema";
import { emailAddress, idFromSelect, optionalText, requiredText, MAX_ID } from "../lib/validation";
import { WEEKDAYS } from "../lib/panel-schedule";
import { chosenPersonFields, IGNORE_ISSUES, readChosenPerson } from "./chosen-person";
import { allowHttpLinks, safeLink } from "../lib/safe-link";
import { datePartFields, dateParts, datePartsGiven, isoFromParts } from "../lib/dates";
import { isWorkingDay } from "../lib/working-days";
import { parseClockTime } from "../lib/clock-time";

/** One zod schema per panel form; those with dates need "today" from the clock. */

/** A time as people write it ("14:00", "2pm", "2:30pm"), kept as "HH:mm". */
const time = (message: string) =>
  z.string({ error: message }).transform((v, ctx) => {
    const parsed = parseClockTime(v);
    if (parsed) return parsed;
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });
const optionalTime = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const parsed = parseClockTime(v);
      if (parsed) return parsed;
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    });
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().positive("Choose from the list").max(MAX_ID, "Choose from the list")));
const version = z.coerce.number({ error: "The form is out of date" }).int().positive().max(MAX_ID);
const meetingLink = () =>
  optionalText(500, "The meeting link").transform((value, ctx) => {
    if (value === undefined) return undefined;
    const link = safeLink(value, { allowHttp: allowHttpLinks() });
    if (!link) {
      ctx.addIssue({ code: "custom", message: "Enter the meeting link as a full web address, starting https://" });
      return z.NEVER;
    }
    return link;
  });

/** A meeting's end comes after its start (times are "HH:mm", so text order is time order). */
function endAfterStart(v: { startTime?: string; endTime?: string }, ctx: z.RefinementCtx) {
  if (v.startTime && v.endTime && v.endTime <= v.startTime) {
    ctx.addIssue({ code: "custom", path: ["endTime"], message: "The end time must be after the start time" });
  }
}

/** When and where one meeting is: a date in the future, start and end, venue and link. */
function oneMeeting(examples: { start: string; end: string }) {
  return {
    startTime: time(`Enter the start time as hh:mm or as 2pm, like ${examples.start}`),
    endTime: time(`Enter the end time as hh:mm or as 2pm, like ${examples.end}`),
    venue: optionalText(200, "The venue"),
    meetingLink: meetingLink(),
    ...datePartFields("meeting"),
  };
}

function meetingInFuture(today: string) {
  return (v: { startTime?: string; endTime?: string }, ctx: z.RefinementCtx) => {
    dateParts("meeting", "the date of the panel", today, { notPast: true })(v, ctx);
    endAfterStart(v, ctx);
  };
}

export function scheduleSchema(today: string) {
  return z
    .object({
      weekday: z.enum(WEEKDAYS, { error: "Select the day the panel meets" }),
      intervalWeeks: z.coerce
        .number({ error: "Enter how many weeks between panels" })
        .int("Enter a whole number of weeks")
        .min(1, "Panels must be at least 1 week apart")
        .max(8, "Panels must be no more than 8 weeks apart"),
      startTime: time("Enter the start time like 10:00 or 2pm"),
      endTime: time("Enter the end time like 12:00 or 2pm"),
      cutoffDaysBefore: z.coerce
        .number({ error: "Enter how many days before the panel the cut-off is" })
        .int("Enter a whole number of days")
        .min(0, "The cut-off cannot be after the panel")
        .max(28, "The cut-off must be no more than 28 days before"),
      cutoffTime: time("Enter the cut-off time like 16:00 or 4pm"),
      chairUserId: z.coerce
        .number()
        .int()
        .positive()
        .max(MAX_ID)
        .optional()
        .or(z.literal("").transform(() => undefined)),
      coreUserIds: idList,
      coreAgencyIds: idList,
      venue: optionalText(200, "The venue"),
      meetingLink: meetingLink(),
      version: z.coerce
        .number()
        .int()
        .positive()
        .max(MAX_ID)
        .optional()
        .or(z.literal("").transform(() => undefined)),
      ...datePartFields("first"),
    })
    .superRefine((v, ctx) => {
      dateParts("first", "the date of the first panel", today, {})(v, ctx);
      endAfterStart(v, ctx);
      if (v.cutoffDaysBefore === 0 && v.cutoffTime && v.startTime && v.cutoffTime >= v.startTime) {
        ctx.addIssue({ code: "custom", path: ["cutoffTime"], message: "The cut-off must be before the panel starts" });
      }
    });
}

export const agendaItemSchema = z
  .object({
    version,
    slotMinutes: z.coerce
      .number({ error: "Enter the slot length in minutes" })
      .int("Enter a whole number of minutes")
      .min(5, "A slot must be at least 5 minutes")
      .max(120, "A slot must be 120 minutes or less"),
    pinnedStart: optionalTime("Enter the start time like 10:30 or 2:30pm, or leave it empty"),
    agencyIds: idList,
    userIds: idList,
    /** A contact for an invited agency that has nobody signed up: invited by email, kept for next time. */
    contactName: optionalText(120, "The contact's name"),
    contactEmail: z.string().trim().max(254).optional(),
    contactAgencyId: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.contactName && !v.contactEmail) return;
    if (!v.contactName) ctx.addIssue({ code: "custom", path: ["contactName"], message: "Enter the contact's full name" });
    if (!v.contactEmail || !emailAddress().safeParse(v.contactEmail).success) {
      ctx.addIssue({ code: "custom", path: ["contactEmail"], message: "Enter the contact's email address, like name@example.org" });
    }
    if (!v.contactAgencyId || !/^[1-9]\d{0,9}$/.test(v.contactAgencyId)) {
      ctx.addIssue({ code: "custom", path: ["contactAgencyId"], message: "Choose the agency the contact is from" });
    }
  });

export const moveItemSchema = z.object({
  version,
  itemId: z.coerce.number().int().positive().max(MAX_ID),
  direction: z.enum(["up", "down"]),
});
/** The agenda's order in one step: a place for each item still to decide, in fields named position_<item id>. */
const POSITION_FIELD = /^position_([1-9]\d{0,9})$/;
export const reorderAgendaSchema = z
  .object({ version })
  .catchall(z.unknown())
  .transform((v, ctx) => {
    const order: Array<{ itemId: number; position: number }> = [];
    for (const [key, raw] of Object.entries(v)) {
      const field = POSITION_FIELD.exec(key);
      if (!field) continue;
      const text = typeof raw === "string" ? raw.trim() : "";
      if (!/^\d{1,3}$/.test(text) || Number(text) < 1) {
        ctx.addIssue({ code: "custom", path: [key], message: "Enter the item's place as a whole number, like 3" });
        continue;
      }
      order.push({ itemId: Number(field[1]), position: Number(text) });
    }
    if (!order.length) ctx.addIssue({ code: "custom", path: ["form"], message: "There are no items to order" });
    return { version: v.version, order };
  });
/** Sorting a waiting request before the panel: list it, ask its requester a question, or close it with advice. */
export const sortRequestSchema = z
  .object({
    version,
    itemId: z.coerce.number().int().positive().max(MAX_ID),
    choice: z.enum(["list", "ask", "close"], { error: "Choose what to do with this request" }),
    question: optionalText(2000, "Your question"),
    advice: optionalText(2000, "The advice"),
  })
  .superRefine((v, ctx) => {
    if (v.choice === "ask" && !v.question)
      ctx.addIssue({ code: "custom", path: ["question"], message: "Enter your question for the requester" });
    if (v.choice === "close" && !v.advice)
      ctx.addIssue({ code: "custom", path: ["advice"], message: "Enter the advice for the requester" });
  });
export const answerQuestionSchema = z.object({ answer: requiredText("Enter your answer to the chair's question", 5000) });
export const pullItemSchema = z.object({ version, itemId: idFromSelect("Choose a request to add") });
export const cancelPanelSchema = z.object({ version, reason: requiredText("Enter why the panel is cancelled", 1000) });
export const panelVersionSchema = z.object({ version });

/** The chair moving through the agenda live: one click each. */
export const liveMoveSchema = z.discriminatedUnion("move", [
  z.object({ move: z.literal("start"), itemId: z.coerce.number().int().positive().max(MAX_ID) }),
  z.object({ move: z.literal("next") }),
  z.object({ move: z.literal("back") }),
  z.object({ move: z.literal("skip") }),
]);

/** Starting the meeting: before the panel's date the chair gives a reason (checked by the service, which knows the date). */
export const startMeetingSchema = z.object({ version, earlyReason: optionalText(500, "The reason for starting early") });

/** Someone who joined the meeting without an invitation: a user, or a guest with a name, role and agency. */
export const addAttendeeSchema = z
  .object({
    person: z.string({ error: "Choose who has joined" }).trim().min(1, "Choose who has joined"),
    guestName: optionalText(120, "Their name"),
    guestRole: optionalText(120, "Their role"),
    guestAgencyId: z.string().trim().optional(),
    joinedAs: z.enum(["in_person", "online"], { error: "Choose how they are taking part" }),
  })
  .superRefine((v, ctx) => {
    if (v.person !== "guest" && !/^[1-9]\d{0,9}$/.test(v.person)) {
      ctx.addIssue({ code: "custom", path: ["person"], message: "Choose who has joined from the list" });
    }
    if (v.person === "guest") {
      if (!v.guestName) ctx.addIssue({ code: "custom", path: ["guestName"], message: "Enter the name of the person who has joined" });
      if (!v.guestRole) ctx.addIssue({ code: "custom", path: ["guestRole"], message: "Enter their role, like school nurse" });
      if (!v.guestAgencyId || !/^[1-9]\d{0,9}$/.test(v.guestAgencyId)) {
        ctx.addIssue({ code: "custom", path: ["guestAgencyId"], message: "Choose the agency they are from" });
      }
    }
  });

/** Going ahead without an agency kind the panel needs, and why. */
export const goAheadWithoutSchema = z.object({
  version,
  kind: z.enum([...AGENCY_KINDS, "others"], { error: "Choose which agency is not represented" }),
  reason: requiredText("Enter why the panel goes ahead without them", 500),
});

/** "Attendance of each invitee": fields named attendance-<attendee id>. */
export const attendanceSchema = z
  .record(z.string(), z.unknown())
  .transform((values) =>
    Object.entries(values)
      .filter(([key]) => key.startsWith("attendance-"))
      .map(([key, value]) => ({ attendeeId: Number(key.slice("attendance-".length)), attendance: String(value) })),
  )
  .pipe(
    z.array(
      z.object({
        attendeeId: z.number().int().positive().max(MAX_ID),
        attendance: z.enum(["in_person", "online", "apologies", "absent"], { error: "Choose an attendance" }),
      }),
    ),
  );

const STEP_DOWN_AGREED = ["step_down_agreed_early_help", "step_down_agreed_volunteer_support"];
/** Outcomes where someone takes the case on: a step up or a step down agreed. */
const asksLead = (outcome: unknown) => outcome === "step_up_agreed" || STEP_DOWN_AGREED.includes(String(outcome));

/** A transfer meeting or joint visit: a real date, not past, on a working day. */
function transferDateRules(v: Record<string, unknown>, ctx: z.RefinementCtx, today: string) {
  dateParts("transfer", "the transfer meeting or joint visit date", today, { notPast: true })(v, ctx);
  const transfer = isoFromParts(v, "transfer");
  if (transfer && !isWorkingDay(transfer)) {
    ctx.addIssue({
      code: "custom",
      path: ["transferDay"],
      message: "The transfer meeting or joint visit must be on a working day, not a weekend or bank holiday",
    });
  }
}

/**
 * What every decision form checks, at the meeting or when correcting: who holds
 * the risk, and for a step down the lead practitioner and a transfer date on a
 * working day.
 */
function decisionRules(v: { outcome: string } & Record<string, unknown>, ctx: z.RefinementCtx, today: string) {
  const steppingDown = STEP_DOWN_AGREED.includes(v.outcome);
  readChosenPerson(v, "riskHolder", ctx, { required: true, missing: "Choose who holds the risk" });
  // An outcome with nobody taking the case on ignores the lead fields (they are folded away on the page).
  if (asksLead(v.outcome)) {
    readChosenPerson(v, "leadPractitioner", ctx, { required: steppingDown, missing: "Choose the lead practitioner who takes the case on" });
  }
  if (steppingDown || datePartsGiven(v, "transfer")) transferDateRules(v, ctx, today);
}

/** The people chosen, read again (already checked) for the service. */
function withChosenPeople<T extends Record<string, unknown>>(v: T) {
  return {
    ...v,
    riskHolderChoice: readChosenPerson(v, "riskHolder", IGNORE_ISSUES, { required: false, missing: "" })!,
    leadChoice: asksLead(v.outcome) ? readChosenPerson(v, "leadPractitioner", IGNORE_ISSUES, { required: false, missing: "" }) : null,
  };
}

export function itemDecisionSchema(today: string) {
  return z
    .object({
      itemId: z.coerce.number().int().positive().max(MAX_ID),
      caseVersion: version,
      discussion: optionalText(5000, "The discussion"),
      outcome: z.enum(DECISION_OUTCOMES, { error: "Select the panel's decision" }),
      reasons: requiredText("Enter the reasons for the decision", 5000),
      ...chosenPersonFields("riskHolder"),
      ...chosenPersonFields("leadPractitioner"),
      challenge: optionalText(2000, "The challenge"),
      ...datePartFields("transfer"),
      ...datePartFields("review"),
    })
    .superRefine((v, ctx) => {
      decisionRules(v, ctx, today);
      if (datePartsGiven(v, "review")) {
        dateParts("review", "the Team Around the Family review date", today, { notPast: true })(v, ctx);
      }
    })
    .transform(withChosenPeople);
}

export function actionSchema(today: string) {
  return z
    .object({
      itemId: z.coerce.number().int().positive().max(MAX_ID),
      description: requiredText("Enter what needs to be done", 1000),
      owner: z.string({ error: "Choose who owns the action" }).trim().min(1, "Choose who owns the action"),
      newOwnerName: optionalText(200, "The owner's name"),
      newOwnerEmail: z.string().trim().optional(),
      newOwnerAgencyId: z.string().trim().optional(),
      ...datePartFields("due"),
    })
    .superRefine((v, ctx) => {
      dateParts("due", "the due date", today, { notPast: true })(v, ctx);
      if (v.owner === "new") {
        if (!v.newOwnerName) ctx.addIssue({ code: "custom", path: ["newOwnerName"], message: "Enter the new owner's full name" });
        const email = emailAddress().safeParse(v.newOwnerEmail ?? "");
        if (!email.success) ctx.addIssue({ code: "custom", path: ["newOwnerEmail"], message: email.error.issues[0].message });
        if (!Number(v.newOwnerAgencyId))
          ctx.addIssue({ code: "custom", path: ["newOwnerAgencyId"], message: "Select the new owner's agency" });
      } else if (!/^\d+$/.test(v.owner)) {
        ctx.addIssue({ code: "custom", path: ["owner"], message: "Choose who owns the action" });
      }
    });
}

export function extraordinarySchema(today: string) {
  return z
    .object({
      areaId: idFromSelect("Select the area"),
      reason: requiredText("Enter why an extraordinary panel is needed", 2000),
      requestIds: idList,
      /** Who is invited to the whole panel: offered with the core members ticked ("yes" when the list was shown). */
      attendeeIds: idList,
      attendeesShown: z.literal("yes").optional(),
      ...oneMeeting({ start: "14:00", end: "15:30" }),
    })
    .superRefine(meetingInFuture(today));
}

export const declineSchema = z.object({ reason: requiredText("Enter why the request is declined", 1000) });
export const completeActionSchema = z.object({
  actionId: z.coerce.number().int().positive().max(MAX_ID),
  note: requiredText("Enter a short note on what was done", 1000, "The note"),
});

/** Moving one panel, or changing where it meets: everyone invited gets an update. */
export function panelDetailsSchema(today: string) {
  return z
    .object({
      version,
      ...oneMeeting({ start: "10:00", end: "12:00" }),
    })
    .superRefine(meetingInFuture(today));
}

/** Correcting a recorded decision: the decision's fields again, and why it is corrected. */
export function correctDecisionSchema(today: string) {
  return z
    .object({
      caseVersion: version,
      outcome: z.enum(DECISION_OUTCOMES, { error: "Select the corrected decision" }),
      reasons: requiredText("Enter the reasons for the decision", 5000),
      ...chosenPersonFields("riskHolder"),
      ...chosenPersonFields("leadPractitioner"),
      ...datePartFields("transfer"),
      correctionReason: requiredText("Enter why the decision is being corrected", 1000),
    })
    .superRefine((v, ctx) => decisionRules(v, ctx, today))
    .transform(withChosenPeople);
}

/** The core members present approve the last panel's minutes, with any amendments they agreed. */
export const approveMinutesSchema = z.object({
  version,
  minutesPanelId: idFromSelect("The form could not be read"),
  amendments: optionalText(2000, "The amendments"),
});
