import { renderEmail, type RenderedEmail } from "./render";

export interface InsightSnapshotData {
  /** "Crewe" or "all areas". */
  scope: string;
  weekOf: string;
  figures: Array<{ label: string; value: string | number }>;
  dashboardUrl: string;
}

/** The Monday snapshot to a service manager: counts only, no reference or child detail. */
export function insightSnapshotEmail(data: InsightSnapshotData): RenderedEmail {
  return renderEmail({
    subject: "Threshold: weekly panel figures",
    heading: `Panel figures for ${data.scope}, week of ${data.weekOf}`,
    paragraphs: [
      "The headline figures for the last 12 months, and the waiting work as it stands this morning:",
      ...data.figures.map((f) => `${f.label}: ${f.value}`),
      "The dashboard has each figure's table, how it is counted and a CSV to check it against.",
    ],
    link: { href: data.dashboardUrl, label: "Open the insight dashboard" },
  });
}
