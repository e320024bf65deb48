import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A real SMTP server on loopback that keeps and parses what it receives. */
export async function startSmtpSink(options: { parse?: boolean; port?: number; stallAtRecipient?: boolean } = {}) {
  const received: Array<{ envelopeTo: string[]; raw: string; parsed?: ParsedMail }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // A relay that takes the connection and then never answers the recipient: a send stuck midway.
    ...(options.stallAtRecipient ? { onRcptTo: () => {} } : {}),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const entry: (typeof received)[number] = { envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw };
        if (options.parse !== false) entry.parsed = await simpleParser(raw);
        received.push(entry);
        callback();
      });
    },
  });
  // A client killed mid-send resets its connection: for a relay that is an ordinary event, not a failure.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
