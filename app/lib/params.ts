import { notFound } from "../services/authorise.server";

/** A positive whole-number id from the URL, or 404. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
}
