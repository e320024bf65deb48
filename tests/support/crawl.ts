/** Paths a crawl of the app leaves alone: signing out, static files, downloads. */
export const SKIP_PATHS = /^\/(sign-out|build|assets|govuk)\b|\.(ics|csv)(\?|$)/;

/** A page's shape: its path with references and ids replaced, so a crawl visits a few of each kind. */
export function shapeOf(path: string) {
  return path
    .replace(/\?.*$/, "")
    .replace(/TH-\d{4}-\d{6}/g, ":ref")
    .replace(/\/\d+(?=\/|$)/g, "/:id");
}

/** The app's own links on a page, resolved against the page's path. */
export function linksOn(html: string, path: string) {
  return [...html.matchAll(/href="((?:\/|\?)[^"#]*)"/g)]
    .map((m) => m[1].replace(/&amp;/g, "&"))
    .map((raw) => (raw.startsWith("?") ? `${path.replace(/\?.*$/, "")}${raw}` : raw))
    .filter((href) => !SKIP_PATHS.test(href));
}
