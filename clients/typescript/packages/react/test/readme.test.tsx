// @vitest-environment jsdom
// The React example of packages/react/README.md, extracted from the README itself and run
// against the real server: a person signs in, then turns on two-factor authentication.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import * as client from "@twofold/client";
import * as React from "react";
import ts from "typescript";
import { afterEach, expect, inject, it } from "vitest";
import * as hooks from "../src/index.js";
import { Authenticator, PASSWORD, uniqueEmail } from "../../client/test/helpers.js";

const baseUrl = inject("twofoldUrl");
afterEach(cleanup);

/** The README's tsx block, compiled, with `baseUrl` pointing at the test server. */
function readmeApp(): React.ComponentType {
  const readme = readFileSync(join(process.cwd(), "packages/react/README.md"), "utf8");
  const source = /```tsx\n([\s\S]*?)```/.exec(readme)![1]!.replace("https://id.example.com", baseUrl);
  const js = ts.transpileModule(source, {
    compilerOptions: { jsx: ts.JsxEmit.React, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const modules: Record<string, unknown> = { "@twofold/client": client, "@twofold/react": hooks, react: React };
  const exports: { default?: React.ComponentType } = {};
  new Function("require", "exports", "React", js)((name: string) => modules[name], exports, React);
  return exports.default!;
}

it("the README example signs in and enrolls", async () => {
  const email = uniqueEmail();
  await client.createClient({ baseUrl }).register(email, PASSWORD);
  const App = readmeApp();
  const { container } = render(<App />);
  const inputs = () => container.querySelectorAll("input");
  fireEvent.change(inputs()[0]!, { target: { value: email } });
  fireEvent.change(inputs()[1]!, { target: { value: PASSWORD } });
  fireEvent.click(screen.getByText("Sign in"));
  fireEvent.click(await screen.findByText("Set up two-factor"));
  const secret = (await screen.findByText(/^[A-Z2-7]{16,}$/)).textContent!;
  const app = new Authenticator(secret);
  fireEvent.change(inputs()[0]!, { target: { value: await app.code() } });
  fireEvent.click(screen.getByText("Turn on"));
  const codes = await screen.findByText((_, el) => el?.tagName === "PRE");
  expect(codes.textContent!.split("\n")).toHaveLength(10);
});
