import { renderEmail, type RenderedEmail } from "./render";

/** To a new user: a link to choose a password. */
export function invitationEmail(data: { name: string; link: string; expiresInDays: number }): RenderedEmail {
  return renderEmail({
    subject: "Your Threshold account",
    heading: `${data.name}, you have been invited to Threshold`,
    paragraphs: [
      "Threshold runs the multi-agency step-up and step-down panels.",
      `Choose a password to start using it. The link works once and for ${data.expiresInDays} days.`,
    ],
    link: { href: data.link, label: "Choose your password" },
  });
}
