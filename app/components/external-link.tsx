import { useRouteLoaderData } from "@remix-run/react";
import { safeLink } from "../lib/safe-link";

/**
 * The one way a link someone typed is shown. Anything but a web address is
 * refused (shown as text, not a link), whatever was stored.
 */
export function ExternalLink({ href, fallback = "No link" }: { href: string | null | undefined; fallback?: string }) {
  const root = useRouteLoaderData<{ allowHttpLinks?: boolean }>("root");
  const link = safeLink(href, { allowHttp: root?.allowHttpLinks ?? false });
  if (!link) return <>{href ? "Link not shown: it is not a web address starting https://" : fallback}</>;
  return (
    <a className="govuk-link" href={link} rel="noreferrer noopener" target="_blank">
      {link} <span className="govuk-visually-hidden">(opens in new tab)</span>
    </a>
  );
}
