/**
 * What kind of failure a delivery error was, in words an administrator can
 * act on, without the error's own text (which may quote addresses or the
 * mail server's replies).
 */
export function deliveryErrorClass(error: string | null): string | null {
  if (!error) return null;
  if (/timed? ?out|ETIMEDOUT/i.test(error)) return "The mail server did not answer in time";
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|connect/i.test(error)) return "Could not reach the mail server";
  if (/\b535\b|\bauth/i.test(error)) return "The mail server refused Threshold's sign-in";
  if (/\b5\d\d\b/.test(error)) return "The mail server refused the email";
  if (/\b4\d\d\b/.test(error)) return "The mail server asked to try later";
  if (/certificate|TLS|SSL/i.test(error)) return "A secure connection to the mail server failed";
  return "Another error";
}
