/**
 * Every built-in connector, in one static list: the compiled binary has no folders to scan, so a
 * connector exists exactly when it is listed here. Each entry loads its module only when a job
 * names it (or `connectors list/describe` asks for all), so a job pays start-up time for the
 * connectors it uses, not for every driver and format library in the binary.
 */
import type { Definition, PluginKind } from "../src/api/index.ts";

export interface CatalogEntry {
  kind: PluginKind;
  name: string;
  load: () => Promise<Definition>;
}

const entry = (kind: PluginKind, name: string, load: () => Promise<Definition>): CatalogEntry => ({ kind, name, load });

export const catalog: CatalogEntry[] = [
  entry("source", "FakeSource", async () => (await import("./fake/index.ts")).fakeSource),
  entry("source", "LocalFile", async () => (await import("./file-local/index.ts")).localFileSource),
  entry("source", "Jdbc", async () => (await import("./jdbc/index.ts")).jdbcSource),
  entry("source", "Redis", async () => (await import("./redis/index.ts")).redisSource),
  entry("source", "RabbitMQ", async () => (await import("./rabbitmq/index.ts")).rabbitSource),
  entry("source", "Http", async () => (await import("./http/index.ts")).httpSource),
  entry("source", "Github", async () => serviceSource("Github")),
  entry("source", "Gitlab", async () => serviceSource("Gitlab")),
  entry("source", "Jira", async () => serviceSource("Jira")),
  entry("source", "Klaviyo", async () => serviceSource("Klaviyo")),
  entry("source", "Lemlist", async () => serviceSource("Lemlist")),
  entry("source", "MyHours", async () => serviceSource("MyHours")),
  entry("source", "Notion", async () => serviceSource("Notion")),
  entry("source", "OneSignal", async () => serviceSource("OneSignal")),
  entry("source", "Persistiq", async () => serviceSource("Persistiq")),
  entry("transform", "FieldMapper", async () => (await import("./field-mapper/index.ts")).fieldMapperTransform),
  entry("transform", "FieldRename", async () => (await import("./field-rename/index.ts")).fieldRenameTransform),
  entry("transform", "Filter", async () => (await import("./filter/index.ts")).filterTransform),
  entry("transform", "FilterRowKind", async () => (await import("./filter-row-kind/index.ts")).filterRowKindTransform),
  entry("transform", "Replace", async () => (await import("./replace/index.ts")).replaceTransform),
  entry("transform", "Copy", async () => (await import("./copy/index.ts")).copyTransform),
  entry("transform", "Split", async () => (await import("./split/index.ts")).splitTransform),
  entry("transform", "Sql", async () => (await import("./sql/index.ts")).sqlTransform),
  entry("transform", "JsonPath", async () => (await import("./json-path/index.ts")).jsonPathTransform),
  entry(
    "transform",
    "RowKindExtractor",
    async () => (await import("./row-kind-extractor/index.ts")).rowKindExtractorTransform,
  ),
  entry("transform", "TableRename", async () => (await import("./table-rename/index.ts")).tableRenameTransform),
  entry("transform", "TableMerge", async () => (await import("./table-merge/index.ts")).tableMergeTransform),
  entry("transform", "TableFilter", async () => (await import("./table-filter/index.ts")).tableFilterTransform),
  entry("transform", "Metadata", async () => (await import("./metadata/index.ts")).metadataTransform),
  entry("sink", "Console", async () => (await import("./console/index.ts")).consoleSinkDefinition),
  entry("sink", "Assert", async () => (await import("./assert/index.ts")).assertSinkDefinition),
  entry("sink", "InMemory", async () => (await import("./inmemory/index.ts")).inMemorySinkDefinition),
  entry("sink", "LocalFile", async () => (await import("./file-local/index.ts")).localFileSink),
  entry("sink", "Jdbc", async () => (await import("./jdbc/index.ts")).jdbcSink),
  entry("sink", "Redis", async () => (await import("./redis/index.ts")).redisSink),
  entry("sink", "RabbitMQ", async () => (await import("./rabbitmq/index.ts")).rabbitSink),
  entry("sink", "Http", async () => (await import("./http/index.ts")).httpSink),
  entry("sink", "Feishu", async () => (await import("./http/services.ts")).feishuSink),
  entry("sink", "WeChat", async () => (await import("./http/services.ts")).weChatSink),
];

/** A source SeaTunnel builds on Http (connectors/http/services.ts). */
async function serviceSource(name: string): Promise<Definition> {
  const { serviceSources } = await import("./http/services.ts");
  return serviceSources.find((d) => d.name === name)!;
}

/** Every connector's definition (for `connectors list/describe` and the spec tests). */
export function loadAll(): Promise<Definition[]> {
  return Promise.all(catalog.map((e) => e.load()));
}
