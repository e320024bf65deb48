/** The organisation's vocabulary (roles, kinds of agency) for views and forms; the tables define it. */
export { AGENCY_KINDS, ROLES, type AgencyKind, type Role } from "../../db/schema";
