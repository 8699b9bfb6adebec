/**
 * Every built-in connector, in one static list: the compiled binary has no folders to scan, so a
 * connector exists exactly when it is listed here. Add new connectors to this array.
 */
import type { Definition } from "../src/api/index.ts";
import { assertSinkDefinition } from "./assert/index.ts";
import { consoleSinkDefinition as consoleSink } from "./console/index.ts";
import { fakeSource } from "./fake/index.ts";
import { inMemorySinkDefinition } from "./inmemory/index.ts";

export const connectors: Definition[] = [fakeSource, consoleSink, assertSinkDefinition, inMemorySinkDefinition];
