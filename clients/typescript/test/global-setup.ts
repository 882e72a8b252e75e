// Starts the twofold server the tests talk to (see scripts/server.mjs) and stops it after.
import type { TestProject } from "vitest/node";
// @ts-expect-error: a plain ES module without types
import { startServer } from "../scripts/server.mjs";

export default async function setup(project: TestProject) {
  const server = await startServer();
  project.provide("twofoldUrl", server.url);
  project.provide("twofoldDataDir", server.dataDir);
  return async () => {
    await server.stop();
  };
}
