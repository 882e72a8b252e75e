import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One real `twofold serve` for the whole run (test/global-setup.ts); the React tests run in
// jsdom (a `@vitest-environment jsdom` comment at their top).
export default defineConfig({
  // The tests run the sources (the React package's import of the client included).
  resolve: {
    alias: { "@twofold/client": fileURLToPath(new URL("./packages/client/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["packages/*/test/**/*.test.{ts,tsx}"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
