import type { Migration } from "kysely";
import * as foundation from "./20261123090000_foundation";
import * as caseJourney from "./20261123100000_case_journey";
import * as outbox from "./20261123110000_outbox";
import * as passwordTokens from "./20261123120000_password_tokens";
import * as panels from "./20261124090000_panels";
import * as actionNotices from "./20261124100000_action_notices";
import * as challenges from "./20261124110000_challenges";
import * as snakeCaseStates from "./20261125090000_snake_case_states";
import * as panelAsItRuns from "./20261126090000_panel_as_it_runs";
import * as auditChain from "./20261127090000_audit_chain";
import * as secondFactor from "./20261128090000_second_factor";
import * as passkeys from "./20261128100000_passkeys";
import * as retention from "./20261128110000_retention";
import * as organisationSignIn from "./20261128120000_organisation_sign_in";
import * as insight from "./20261130090000_insight";
import * as livePanel from "./20261130100000_live_panel";
import * as caseRelations from "./20261201090000_case_relations";
import * as auditChainAtCommit from "./20261203090000_audit_chain_at_commit";
import * as findTheChild from "./20261203100000_find_the_child";
import * as knownChild from "./20261203110000_known_child";
import * as workerHeartbeats from "./20261203120000_worker_heartbeats";
import * as agendaSent from "./20261203130000_agenda_sent";
import * as triage from "./20261204090000_triage";
import * as familyTold from "./20261204100000_family_told";
import * as familyLetters from "./20261204110000_family_letters";
import * as interestDeclarations from "./20261204120000_interest_declarations";
import * as areaQuorum from "./20261204130000_area_quorum";
import * as engagementReviews from "./20261204140000_engagement_reviews";
import * as minutesApproval from "./20261204150000_minutes_approval";
import * as subjectAccessWithheld from "./20261205090000_subject_access_withheld";
import * as areaHandoverClocks from "./20261205100000_area_handover_clocks";
import * as leadPractitioners from "./20261205110000_lead_practitioners";
import * as auditSealedInBatches from "./20261206090000_audit_sealed_in_batches";
import * as panelPack from "./20261206100000_panel_pack";

/**
 * Every migration, by name. Names sort by time; a landed migration is never
 * edited, only followed by a new one. Listed in code (not read from the file
 * system) so the same list works under tsx, the Remix bundle and vitest.
 */
export const migrations: Record<string, Migration> = {
  "20261123090000_foundation": foundation,
  "20261123100000_case_journey": caseJourney,
  "20261123110000_outbox": outbox,
  "20261123120000_password_tokens": passwordTokens,
  "20261124090000_panels": panels,
  "20261124100000_action_notices": actionNotices,
  "20261124110000_challenges": challenges,
  "20261125090000_snake_case_states": snakeCaseStates,
  "20261126090000_panel_as_it_runs": panelAsItRuns,
  "20261127090000_audit_chain": auditChain,
  "20261128090000_second_factor": secondFactor,
  "20261128100000_passkeys": passkeys,
  "20261128110000_retention": retention,
  "20261128120000_organisation_sign_in": organisationSignIn,
  "20261130090000_insight": insight,
  "20261130100000_live_panel": livePanel,
  "20261201090000_case_relations": caseRelations,
  "20261203090000_audit_chain_at_commit": auditChainAtCommit,
  "20261203100000_find_the_child": findTheChild,
  "20261203110000_known_child": knownChild,
  "20261203120000_worker_heartbeats": workerHeartbeats,
  "20261203130000_agenda_sent": agendaSent,
  "20261204090000_triage": triage,
  "20261204100000_family_told": familyTold,
  "20261204110000_family_letters": familyLetters,
  "20261204120000_interest_declarations": interestDeclarations,
  "20261204130000_area_quorum": areaQuorum,
  "20261204140000_engagement_reviews": engagementReviews,
  "20261204150000_minutes_approval": minutesApproval,
  "20261205090000_subject_access_withheld": subjectAccessWithheld,
  "20261205100000_area_handover_clocks": areaHandoverClocks,
  "20261205110000_lead_practitioners": leadPractitioners,
  "20261206090000_audit_sealed_in_batches": auditSealedInBatches,
  "20261206100000_panel_pack": panelPack,
};
