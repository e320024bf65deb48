/**
 * One template → a subject, an HTML body and a plain-text body. Emails carry a
 * case reference and a link that needs sign-in: never a child's name, date of
 * birth or address, and nothing revealing in the subject.
 */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderEmail(parts: {
  subject: string;
  heading: string;
  paragraphs: string[];
  link?: { href: string; label: string };
}): RenderedEmail {
  const footer = "You are receiving this because of your work with Threshold, the step-up and step-down panel service.";
  const text = [
    parts.heading,
    "",
    ...parts.paragraphs.flatMap((p) => [p, ""]),
    ...(parts.link ? [`${parts.link.label}: ${parts.link.href}`, ""] : []),
    "--",
    footer,
  ].join("\n");
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(parts.subject)}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.3; color: #0b0c0c; margin: 0; padding: 0">
<div style="background: #0b0c0c; color: #ffffff; padding: 10px 15px; font-weight: bold">Threshold</div>
<div style="padding: 15px; max-width: 580px">
<h1 style="font-size: 28px">${escape(parts.heading)}</h1>
${parts.paragraphs.map((p) => `<p>${escape(p)}</p>`).join("\n")}
${parts.link ? `<p><a href="${escape(parts.link.href)}" style="color: #1d70b8">${escape(parts.link.label)}</a></p>` : ""}
<hr style="border: 0; border-top: 1px solid #b1b4b6"><p style="font-size: 16px; color: #505a5f">${escape(footer)}</p>
</div></body></html>`;
  return { subject: parts.subject, text, html };
}
