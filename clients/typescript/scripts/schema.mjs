// The TypeScript types of the served OpenAPI document, as openapi-typescript renders them.
import openapiTS, { astToString } from "openapi-typescript";

export const SCHEMA_FILE = new URL("../packages/client/src/schema.ts", import.meta.url);

const HEADER = `// Generated from twofold's /api/v1/openapi.json by openapi-typescript: do not edit.
// Regenerate with \`npm run generate\`; a test fails when this file is stale.

`;

export async function fetchDocument(baseUrl) {
  const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
  if (!res.ok) throw new Error(`openapi.json answered ${res.status}`);
  return res.json();
}

export async function renderTypes(document) {
  const ast = await openapiTS(document, { alphabetize: true });
  return HEADER + astToString(ast);
}
