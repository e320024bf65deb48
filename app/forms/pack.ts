import { z } from "zod";
import { idFromSelect, requiredText } from "../lib/validation";

/** What a partner's agency knows about an item, for the panel's pack. */
export const informationReturnSchema = z.object({
  itemId: idFromSelect("Choose the item"),
  body: requiredText("Enter what your agency knows about the child and family", 4000),
});
