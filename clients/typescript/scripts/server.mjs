// Starts a real `twofold serve` for the tests and the type generator: a fresh data folder,
// a free loopback port, cheap Argon2 parameters and no per-address limit (the tests log in
// many times from one address). The binary is TWOFOLD_BIN, else target/release/twofold
// when present, else built through cargo.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function twofoldBinary() {
  if (process.env.TWOFOLD_BIN) return process.env.TWOFOLD_BIN;
  const release = path.join(repo, "target/release/twofold");
  if (existsSync(release)) return release;
  execFileSync("cargo", ["build", "--quiet", "--bin", "twofold"], { cwd: repo, stdio: "inherit" });
  return path.join(repo, "target/debug/twofold");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server; resolves with its base URL and a `stop()` once `/healthz` answers. */
export async function startServer(extraEnv = {}) {
  const bin = twofoldBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-ts-"));
  const port = await freePort();
  const masterKey = execFileSync(bin, ["gen-key"], { encoding: "utf8" }).trim();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TWOFOLD_")));
  Object.assign(env, {
    TWOFOLD_DATA_DIR: dataDir,
    TWOFOLD_MASTER_KEY: masterKey,
    TWOFOLD_ARGON2_MEMORY_KIB: "1024",
    TWOFOLD_ARGON2_ITERATIONS: "1",
    TWOFOLD_RATE_LIMIT_BURST: "0",
    TWOFOLD_LOG: "warn",
    ...extraEnv,
  });
  const child = spawn(bin, ["serve", "--listen", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`twofold exited: ${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    dataDir,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
