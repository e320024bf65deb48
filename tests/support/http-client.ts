/** A tiny browser stand-in for HTTP tests: keeps cookies, follows nothing by itself. */
export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  private remember(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === "" || /max-age=0/i.test(header) || /expires=Thu, 01 Jan 1970/i.test(header)) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      redirect: "manual",
      headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(response);
    return response;
  }

  async post(path: string, form: Record<string, string> | Array<[string, string]>, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: this.cookieHeader(),
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(response);
    return response;
  }

  /** The anti-forgery token the page's forms carry. */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = html.match(/name="csrf" value="([^"]+)"/);
    if (!match) throw new Error(`No form token on ${path}`);
    return match[1];
  }

  /** Posts a form the way the page would, with its token. */
  async submit(path: string, form: Record<string, string>) {
    const csrf = await this.csrfFrom(path);
    return this.post(path, { csrf, ...form });
  }

  async signIn(email: string, password: string) {
    const response = await this.submit("/sign-in", { email, password, returnTo: "/" });
    if (response.status !== 302) throw new Error(`Sign-in failed with ${response.status}`);
    return response;
  }
}
