/**
 * The codes the Children in Need census uses for a child's ethnicity and
 * disability, and the school census's special educational needs provision,
 * with the words shown to people. Requests store the codes.
 */
export const ETHNICITY_CODES = {
  WBRI: "White: English, Welsh, Scottish, Northern Irish or British",
  WIRI: "White: Irish",
  WIRT: "White: Traveller of Irish heritage",
  WROM: "White: Gypsy or Roma",
  WOTH: "White: any other White background",
  MWBC: "Mixed: White and Black Caribbean",
  MWBA: "Mixed: White and Black African",
  MWAS: "Mixed: White and Asian",
  MOTH: "Mixed: any other mixed background",
  AIND: "Asian or Asian British: Indian",
  APKN: "Asian or Asian British: Pakistani",
  ABAN: "Asian or Asian British: Bangladeshi",
  AOTH: "Asian or Asian British: any other Asian background",
  BCRB: "Black or Black British: Caribbean",
  BAFR: "Black or Black British: African",
  BOTH: "Black or Black British: any other Black background",
  CHNE: "Chinese",
  OOTH: "Any other ethnic group",
  REFU: "Refused",
  NOBT: "Information not yet obtained",
} as const;
export type EthnicityCode = keyof typeof ETHNICITY_CODES;

export const DISABILITY_CODES = {
  NONE: "No disability",
  MOB: "Mobility (getting about)",
  HAND: "Hand function",
  PC: "Personal care",
  INC: "Incontinence",
  COMM: "Communication",
  LD: "Learning",
  HEAR: "Hearing",
  VIS: "Vision",
  BEH: "Behaviour",
  CON: "Consciousness (seizures)",
  AUT: "Autism or Asperger syndrome (diagnosed)",
  DDA: "Another disability under the Equality Act",
} as const;
export type DisabilityCode = keyof typeof DISABILITY_CODES;

export const SEN_PROVISION_CODES = {
  E: "Education, health and care (EHC) plan",
  K: "SEN support (no EHC plan)",
  N: "No special educational needs",
} as const;
export type SenProvisionCode = keyof typeof SEN_PROVISION_CODES;

/** A step down's current plan in children's social care. */
export const CURRENT_PLANS = {
  child_protection: "Child protection plan",
  child_in_need: "Child in need plan",
  none: "No plan",
} as const;
export type CurrentPlan = keyof typeof CURRENT_PLANS;
