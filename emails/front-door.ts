import { renderEmail, type RenderedEmail } from "./render";

/**
 * To each person in the front-door team when a professional reports a child at
 * immediate risk: the reference and a link, nothing about the child (that is
 * behind sign-in).
 */
export function frontDoorReferralEmail(d: { reference: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: referral ${d.reference} for the front door`,
    heading: `Referral ${d.reference} needs the front door now`,
    paragraphs: [
      "A professional has reported a child at immediate risk of harm. It does not go to a panel.",
      "Sign in to Threshold to read what they reported and how to reach them, and mark it received.",
    ],
    link: { href: d.url, label: "Open the front door's referrals" },
  });
}

/** To the professional who made the referral, when the front door has taken it. */
export function frontDoorReceivedEmail(d: { reference: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: the front door has received referral ${d.reference}`,
    heading: `The front door has received referral ${d.reference}`,
    paragraphs: ["Someone in the front-door team has taken your referral. They will contact you if they need more."],
    link: { href: d.url, label: "See the case" },
  });
}
