// Regenerates packages/client/src/schema.ts from the document a real server serves.
import { writeFileSync } from "node:fs";
import { fetchDocument, renderTypes, SCHEMA_FILE } from "./schema.mjs";
import { startServer } from "./server.mjs";

const server = await startServer();
try {
  writeFileSync(SCHEMA_FILE, await renderTypes(await fetchDocument(server.url)));
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
} finally {
  await server.stop();
}
