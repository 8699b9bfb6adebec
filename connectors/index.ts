/**
 * Every built-in connector, in one static list: the compiled binary has no folders to scan, so a
 * connector exists exactly when it is listed here. Add new connectors to this array.
 */
import type { Definition } from "../src/api/index.ts";
import { assertSinkDefinition } from "./assert/index.ts";
import { consoleSinkDefinition as consoleSink } from "./console/index.ts";
import { fakeSource } from "./fake/index.ts";
import { inMemorySinkDefinition } from "./inmemory/index.ts";
import { localFileSink, localFileSource } from "./file-local/index.ts";
import { jdbcSink, jdbcSource } from "./jdbc/index.ts";
import { copyTransform } from "./copy/index.ts";
import { fieldMapperTransform } from "./field-mapper/index.ts";
import { fieldRenameTransform } from "./field-rename/index.ts";
import { filterTransform } from "./filter/index.ts";
import { filterRowKindTransform } from "./filter-row-kind/index.ts";
import { jsonPathTransform } from "./json-path/index.ts";
import { metadataTransform } from "./metadata/index.ts";
import { replaceTransform } from "./replace/index.ts";
import { rowKindExtractorTransform } from "./row-kind-extractor/index.ts";
import { splitTransform } from "./split/index.ts";
import { sqlTransform } from "./sql/index.ts";
import { tableFilterTransform } from "./table-filter/index.ts";
import { tableMergeTransform } from "./table-merge/index.ts";
import { tableRenameTransform } from "./table-rename/index.ts";

export const connectors: Definition[] = [
  fakeSource, consoleSink, assertSinkDefinition, inMemorySinkDefinition,
  localFileSource,
  localFileSink,
  fieldMapperTransform,
  fieldRenameTransform,
  filterTransform,
  filterRowKindTransform,
  replaceTransform,
  copyTransform,
  splitTransform,
  sqlTransform,
  jsonPathTransform,
  rowKindExtractorTransform,
  tableRenameTransform,
  tableMergeTransform,
  tableFilterTransform,
  metadataTransform,
  jdbcSource,
  jdbcSink,
];
