/**
 * A time of day as people write it: "14:00", "14.00", "9:05", "2pm", "2 pm",
 * "2:30pm", "2.30 p.m.", "12am" (midnight), "12pm" (noon). Returns "HH:mm",
 * or null for anything else ("25:00", "2:75pm", "13pm").
 */
export function parseClockTime(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, "").replace(/\./g, ":");
  const twelve = /^(\d{1,2})(?::(\d{2}))?(am|pm|a:m:|p:m:)$/.exec(t);
  if (twelve) {
    let hours = Number(twelve[1]);
    const minutes = Number(twelve[2] ?? "0");
    if (hours < 1 || hours > 12 || minutes > 59) return null;
    const pm = twelve[3]!.startsWith("p");
    if (hours === 12) hours = pm ? 12 : 0;
    else if (pm) hours += 12;
    return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  }
  const twentyFour = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (twentyFour) {
    const hours = Number(twentyFour[1]);
    const minutes = Number(twentyFour[2]);
    if (hours > 23 || minutes > 59) return null;
    return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  }
  return null;
}
