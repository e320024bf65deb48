import { useNonce } from "./components/nonce";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import thresholdStyles from "./styles/threshold.css";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { CsrfInput } from "./components/govuk";
import { navigationFor, ROLE_NAMES } from "./lib/navigation";
import { may } from "./lib/policy";
import { deliveryFailing } from "./services/email-delivery.server";
import { roleSecondFactorSettings } from "./services/second-factor.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/govuk/govuk-frontend.min.css" },
  { rel: "stylesheet", href: thresholdStyles },
  { rel: "icon", href: "/assets/images/favicon.ico", sizes: "48x48" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  return json({
    csrfToken: context.csrfToken,
    user: user
      ? {
          name: user.name,
          role: user.role,
          roleName: ROLE_NAMES[user.role],
          agencyName: user.agencyName,
          navigation: navigationFor(user.role, context.settings),
        }
      : null,
    // In production, administrators are told plainly when a role signs in with a password alone.
    secondFactorOff:
      user && may(user, "administer") && context.settings.twoFactorByDefault
        ? (await roleSecondFactorSettings(context, true)).filter((r) => !r.required).map((r) => ROLE_NAMES[r.role])
        : [],
    // Administrators are told on every page while email delivery is failing.
    deliveryFailing: user && may(user, "administer") ? await deliveryFailing(context) : null,
    mailboxEnabled: context.settings.mailboxEnabled,
    allowHttpLinks: context.settings.allowHttpLinks,
  });
}

type RootData = Awaited<ReturnType<typeof loader>> extends infer R ? (R extends { json(): Promise<infer D> } ? D : never) : never;

function Header({ user }: { user: RootData["user"] | null }) {
  const location = useLocation();
  return (
    <>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <a href="/" className="govuk-header__link govuk-header__link--homepage">
              <span className="govuk-header__logotype-text">Threshold</span>
            </a>
          </div>
        </div>
      </header>
      <section aria-label="Service information" className="govuk-service-navigation" data-module="govuk-service-navigation">
        <div className="govuk-width-container">
          <div className="govuk-service-navigation__container">
            <span className="govuk-service-navigation__service-name">
              <a href="/" className="govuk-service-navigation__link">
                Step-up and step-down panels
              </a>
            </span>
            {user ? (
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                {/* On a narrow screen GOV.UK Frontend folds the links behind this toggle. */}
                <button
                  type="button"
                  className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                  aria-controls="navigation"
                  hidden
                >
                  Menu
                </button>
                <ul className="govuk-service-navigation__list" id="navigation">
                  {user.navigation.map((item) => {
                    const active = item.href === "/" ? location.pathname === "/" : location.pathname.startsWith(item.href);
                    return (
                      <li
                        key={item.href}
                        className={`govuk-service-navigation__item${active ? " govuk-service-navigation__item--active" : ""}`}
                      >
                        <a className="govuk-service-navigation__link" href={item.href} aria-current={active ? "page" : undefined}>
                          {active ? <strong className="govuk-service-navigation__active-fallback">{item.label}</strong> : item.label}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </nav>
            ) : null}
          </div>
        </div>
      </section>
    </>
  );
}

/**
 * After moving to another page without a full load (signing in, following a
 * link), the next Tab starts again from the top of the page: the skip link,
 * then the navigation, as after a full page load.
 */
function useFocusStartsAtTopOnNavigation() {
  const location = useLocation();
  const previous = useRef(location.pathname);
  useEffect(() => {
    if (previous.current === location.pathname) return;
    previous.current = location.pathname;
    const body = document.body;
    body.setAttribute("tabindex", "-1");
    body.focus({ preventScroll: true });
    body.removeAttribute("tabindex");
  }, [location.pathname]);
}

function Document({ children, title }: { children: ReactNode; title?: string }) {
  useFocusStartsAtTopOnNavigation();
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <html lang="en" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b0c0c" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        <script
          nonce={nonce}
          suppressHydrationWarning
          dangerouslySetInnerHTML={{
            __html:
              "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');",
          }}
        />
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <Header user={user} />
        <div className="govuk-width-container">
          {user ? (
            <div className="govuk-grid-row govuk-!-margin-top-3 no-print">
              <div className="govuk-grid-column-two-thirds">
                <p className="govuk-body-s govuk-!-margin-bottom-0">
                  Signed in as <strong>{user.name}</strong>, {user.roleName}, {user.agencyName}.{" "}
                  <a className="govuk-link" href="/account">
                    Your account
                  </a>
                </p>
              </div>
              <div className="govuk-grid-column-one-third govuk-!-text-align-right">
                <Form method="post" action="/sign-out">
                  <CsrfInput />
                  <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                    Sign out
                  </button>
                </Form>
              </div>
            </div>
          ) : null}
          {data?.secondFactorOff.length ? (
            <div className="govuk-warning-text govuk-!-margin-top-3">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                Two-factor authentication is off for: {data.secondFactorOff.join(", ")}. People in these roles sign in with a password
                alone.{" "}
                <a className="govuk-link" href="/admin/security">
                  Change sign-in security
                </a>
              </strong>
            </div>
          ) : null}
          {data?.deliveryFailing ? (
            <div className="govuk-warning-text govuk-!-margin-top-3" id="delivery-failing">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {`Email delivery is failing: ${data.deliveryFailing.failed} failed for good, ${data.deliveryFailing.waiting} waiting (${data.deliveryFailing.retrying} refused at their last attempt).`}{" "}
                <a className="govuk-link" href="/admin/email">
                  See email delivery
                </a>
              </strong>
            </div>
          ) : null}
          <main className="govuk-main-wrapper" id="main-content" role="main">
            {children}
          </main>
        </div>
        <footer className="govuk-footer">
          <div className="govuk-width-container">
            <div className="govuk-footer__meta">
              <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 className="govuk-visually-hidden">Support links</h2>
                <p className="govuk-body-s">
                  Threshold: multi-agency step-up and step-down panels. If a child is at immediate risk of harm, contact the front door now.
                  Do not wait for a panel.
                </p>
              </div>
            </div>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <script
          type="module"
          nonce={nonce}
          suppressHydrationWarning
          dangerouslySetInnerHTML={{
            __html:
              "import { initAll } from '/govuk/govuk-frontend.min.js'; if (document.body.classList.contains('govuk-frontend-supported')) initAll();",
          }}
        />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  let title = "Sorry, there is a problem with the service";
  let body: ReactNode = <p className="govuk-body">Try again later.</p>;
  if (status === 503) {
    title = "Sorry, the service is unavailable";
    body = (
      <>
        <p className="govuk-body">Threshold could not reach its database for a moment. Nothing you had already saved is lost.</p>
        <p className="govuk-body">Try again in a few seconds. If you were sending a form, go back and send it again.</p>
      </>
    );
  } else if (status === 404) {
    title = "Page not found";
    body = (
      <>
        <p className="govuk-body">If you typed the web address, check it is correct.</p>
        <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
        <p className="govuk-body">
          <a href="/" className="govuk-link">
            Go to the home page
          </a>
        </p>
      </>
    );
  } else if (status === 403) {
    const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "";
    const forgery = message.startsWith("This form") || message.startsWith("Cross-site");
    // A refusal that says whom to ask (not the plain "no permission") shows that advice.
    const explained = !forgery && message !== "" && message !== "You do not have permission to see this page";
    title = forgery ? "This form could not be accepted" : explained ? "You cannot do this" : "You do not have permission to see this page";
    body = forgery ? (
      <p className="govuk-body">{message}</p>
    ) : explained ? (
      <>
        <p className="govuk-body">{message}</p>
        <p className="govuk-body">
          <a href="/" className="govuk-link">
            Go to the home page
          </a>
        </p>
      </>
    ) : (
      <>
        <p className="govuk-body">Your role does not give you access to this page.</p>
        <p className="govuk-body">
          If you think you need access, contact your Threshold administrator.{" "}
          <a href="/" className="govuk-link">
            Go to the home page
          </a>
        </p>
      </>
    );
  } else if (status === 400 || status === 409 || status === 413) {
    title = status === 409 ? "This record changed while you were working" : "The request could not be understood";
    const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "";
    body = (
      <>
        {message ? <p className="govuk-body">{message}</p> : null}
        <p className="govuk-body">
          <a href="/" className="govuk-link">
            Go to the home page
          </a>
        </p>
      </>
    );
  } else if (status === 401) {
    title = "Sign in to continue";
    body = (
      <p className="govuk-body">
        <a href="/sign-in" className="govuk-link">
          Sign in
        </a>
      </p>
    );
  } else if (isRouteErrorResponse(error) && status < 500) {
    const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "";
    title = "The request was refused";
    body = message ? <p className="govuk-body">{message}</p> : null;
  }
  return (
    <Document title={`${title} – Threshold`}>
      <h1 className="govuk-heading-l">{title}</h1>
      {body}
    </Document>
  );
}
