/*
 * An NHS number is ten digits, the last a Modulus 11 check digit: the first
 * nine are weighted 10 down to 2, the sum's remainder from 11 is the check
 * digit (11 counts as 0; 10 means the number is not a real one).
 */

/** The ten digits of what was typed (spaces and hyphens allowed, as printed on letters), or null. */
export function nhsDigits(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, "");
  return /^\d{10}$/.test(digits) ? digits : null;
}

export function isValidNhsNumber(typed: string): boolean {
  const digits = nhsDigits(typed);
  if (!digits) return false;
  const sum = [...digits.slice(0, 9)].reduce((total, d, i) => total + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** As printed for people: 943 476 5919. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
