import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The text of a PDF, page by page, as Debian's poppler reads it. */
export function pdfPages(pdf: Buffer): string[] {
  if (!existsSync("/usr/bin/pdftotext")) throw new Error("Install poppler-utils (apt-get install poppler-utils) to read printed pages");
  const file = join(mkdtempSync(join(tmpdir(), "threshold-pdf-")), "copy.pdf");
  writeFileSync(file, pdf);
  return execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" })
    .split("\f")
    .filter((p) => p.trim());
}
