import autocannon from "autocannon";
const base = "http://127.0.0.1:4600";
const page = await fetch(`${base}/sign-in`);
const jar = new Map(page.headers.getSetCookie().map((c) => [c.split("=")[0], c.split(";")[0]]));
const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())[1];
const signed = await fetch(`${base}/sign-in`, {
  method: "POST",
  redirect: "manual",
  headers: { cookie: [...jar.values()].join("; "), "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ csrf, email: "chair.crewe@example.org", password: "threshold-demo", returnTo: "/" }).toString(),
});
for (const c of signed.headers.getSetCookie()) jar.set(c.split("=")[0], c.split(";")[0]);
const cookie = [...jar.values()].join("; ");
const r = await autocannon({ url: `${base}${process.argv[2]}`, connections: 20, duration: 10, headers: { cookie } });
console.log(process.argv[2], r.requests.average, r.non2xx);
