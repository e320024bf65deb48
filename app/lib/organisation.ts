/** The organisation's vocabulary (roles, kinds of agency) for views and forms. */
export * from "../../domain/organisation";
