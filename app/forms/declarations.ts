import { z } from "zod";
import { idFromSelect, requiredText } from "../lib/validation";

/** A declaration of interest in one item: which, and why. */
export const declarationSchema = z.object({
  itemId: idFromSelect("Select the item you have an interest in"),
  reason: requiredText("Enter your interest in the item", 1000),
});
