import { notFound } from "../services/authorise.server";
import { MAX_ID } from "./validation";

/** A positive whole-number id from the URL that a database id can be, or 404. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0 || id > MAX_ID) throw notFound();
  return id;
}

/** An optional id from the query string (a filter or a chosen item): one a record can have, or none. */
export function optionalIdQuery(value: string | null): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 && id <= MAX_ID ? id : null;
}
