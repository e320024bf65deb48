/**
 * Every action the audit trail records, and the one shape of a row's detail.
 * The trail's readers (the auditors' page, its CSV, the subject-access record)
 * rely on this shape: `cases` is always a list of case references, and every
 * other value is plain data.
 */
export const AUDIT_ACTIONS = [
  "access.refused",
  "action.list_viewed",
  "agency.created",
  "agency.sign_in_saved",
  "agency.sign_in_turned_off",
  "agency.updated",
  "area.created",
  "area.updated",
  "audit.exported",
  "audit.viewed",
  "calendar.feed_reset",
  "calendar_feed.read",
  "case.action_added",
  "case.action_done",
  "case.anonymised",
  "case.awaiting_panel_viewed",
  "case.close",
  "case.decision_corrected",
  "case.decision_recorded",
  "case.decision_viewed",
  "case.engagement_recorded",
  "case.engagement_viewed",
  "case.family_told_recorded",
  "case.family_told_viewed",
  "case.lead_named",
  "case.lead_viewed",
  "case.letter_reviewed",
  "case.letter_viewed",
  "case.letter_written",
  "case.front_door_outcome",
  "case.front_door_received",
  "case.front_door_viewed",
  "case.recent_decisions_viewed",
  "case.refer",
  "case.referred_to_front_door",
  "case.my_cases_viewed",
  "case.possible_match_shown",
  "case.reopen",
  "case.search",
  "case.subject_access_exported",
  "case.subject_access_withheld",
  "case.submissions_viewed",
  "case.viewed",
  "case.withdraw",
  "challenge.deadline",
  "challenge.escalated",
  "challenge.front_door",
  "challenge.list_viewed",
  "challenge.raised",
  "challenge.register_exported",
  "challenge.register_viewed",
  "challenge.reminder",
  "challenge.resolved",
  "challenge.responded",
  "challenge.viewed",
  "challenge.withdrawn",
  "email.retried",
  "front_door.team_set",
  "insight.census_return_exported",
  "insight.early_help_episodes_exported",
  "letter_template.saved",
  "insight.weekly_snapshot",
  "mailbox.email_viewed",
  "mailbox.viewed",
  "panel.agenda_reordered",
  "panel.agenda_sent",
  "panel.agenda_viewed",
  "panel.attendance_recorded",
  "panel.attendee_added",
  "panel.cancelled",
  "panel.concluded",
  "panel.details_changed",
  "panel.extraordinary_called",
  "panel.extraordinary_declined",
  "panel.extraordinary_requested",
  "panel.going_ahead_without",
  "panel.information_returned",
  "panel.interest_declared",
  "panel.invite_downloaded",
  "panel.item_added",
  "panel.item_edited",
  "panel.item_viewed",
  "panel.live_moved",
  "panel.live_viewed",
  "panel.meeting_viewed",
  "panel.minutes_approved",
  "panel.minutes_published",
  "panel.minutes_viewed",
  "panel.pack_read",
  "panel.pack_viewed",
  "panel.started",
  "panel.started_early",
  "request.attached_to_known_case",
  "request.draft_deleted",
  "request.draft_expired",
  "request.draft_saved",
  "request.draft_started",
  "request.information_given",
  "request.information_requested",
  "request.question_viewed",
  "request.sorted",
  "request.submitted",
  "schedule.saved",
  "security.second_factor_roles_changed",
  "sign_in.current_password_failed",
  "sign_in.failed",
  "sign_in.organisation_failed",
  "sign_in.password_accepted",
  "sign_in.rate_limited",
  "sign_in.second_factor_failed",
  "sign_in.succeeded",
  "sign_in.throttled",
  "sign_out",
  "sign_out.everywhere",
  "user.confirmed",
  "user.created",
  "user.deactivated",
  "user.passkey_added",
  "user.passkey_removed",
  "user.password_changed",
  "user.password_set",
  "user.recovery_codes_renewed",
  "user.second_factor_reset",
  "user.second_factor_set_up",
  "user.second_factor_turned_off",
  "user.updated",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

type AuditScalar = string | number | boolean | null;
/** Plain data; nested objects (a page's filters) are kept as given. */
export type AuditValue = AuditScalar | undefined | readonly AuditScalar[] | object;

/** A row's detail: the case references it concerns (always a list) and plain data; the request id is added by the writer. */
export interface AuditDetail {
  cases?: readonly string[];
  requestId?: never;
  [key: string]: AuditValue;
}

/** The case references a stored detail names, whatever an older row holds. */
export function casesIn(detail: unknown): string[] {
  const cases = (detail as { cases?: unknown } | null)?.cases;
  return Array.isArray(cases) ? cases.filter((c): c is string => typeof c === "string") : [];
}

/** The request a stored row was written for, if it names one. */
export function requestIdIn(detail: unknown): string {
  const id = (detail as { requestId?: unknown } | null)?.requestId;
  return typeof id === "string" ? id : "";
}
