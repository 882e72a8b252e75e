// Test helpers: a unique email, and an authenticator app whose codes come from oathtool
// (an independent TOTP implementation), one fresh 30-second step per use: twofold refuses
// a step that was already used.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(): string {
  return `ts-${randomUUID()}@example.com`;
}

export class Authenticator {
  private last: number | null = null;
  constructor(readonly secret: string) {}

  /** A code for a step not used before (waits for the next step when all are spent). */
  async code(): Promise<string> {
    const now = Math.floor(Date.now() / 1000 / 30);
    // Never the previous step: the clock may cross into the next one before the server checks.
    const step = this.last === null ? now : Math.max(this.last + 1, now);
    if (step > now + 1) {
      await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 200));
      return this.code();
    }
    this.last = step;
    return execFileSync("oathtool", ["--totp", "-b", this.secret, "-N", `@${step * 30 + 1}`], {
      encoding: "utf8",
    }).trim();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The base URL of the server test/global-setup.ts started. */
    twofoldUrl: string;
    /** Its data folder: the messages it sends are `.eml` files under `mail/` there. */
    twofoldDataDir: string;
  }
}

/** The TwofoldError a call must fail with. */
export async function failure(call: Promise<unknown>): Promise<import("../src/index.js").TwofoldError> {
  const { TwofoldError } = await import("../src/index.js");
  try {
    await call;
  } catch (e) {
    if (e instanceof TwofoldError) return e;
    throw e;
  }
  throw new Error("the call succeeded; a TwofoldError was expected");
}

/** The token of the `page` link (`/email/verify`, `/password/reset`) in the newest message to
 * `to` whose subject contains `subject`, read from the server's mail folder (waits up to 10 s). */
export async function linkToken(dataDir: string, to: string, subject: string, page: string): Promise<string> {
  const folder = path.join(dataDir, "mail");
  for (let i = 0; i < 200; i++) {
    const found = existsSync(folder)
      ? readdirSync(folder)
          .map((f) => readFileSync(path.join(folder, f), "utf8"))
          // quoted-printable: soft line breaks and `=XX` escapes
          .map((raw) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))))
          .filter((m) => m.includes(`To: ${to}`) && (m.match(/^Subject: (.*)$/m)?.[1] ?? "").includes(subject))
      : [];
    const token = found.map((m) => m.match(new RegExp(`${page}\\?token=([A-Za-z0-9_-]+)`))?.[1]).find(Boolean);
    if (token) return token;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${page} link to ${to} about ${subject}`);
}
