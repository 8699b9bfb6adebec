/**
 * Plugin name → definition, case-insensitive as SeaTunnel's FactoryUtil matches, with a
 * did-you-mean for misspellings and a hint when the name exists as another kind.
 */
import type { Definition, PluginKind } from "../api/connector.ts";
import { ConfigError, notKnown, notSupported } from "../api/errors.ts";
import type { Pos } from "../api/tree.ts";

export class Registry {
  private readonly byKind = new Map<PluginKind, Map<string, Definition>>();
  private readonly known: readonly { kind: PluginKind; name: string }[];

  /** `known`: every built-in name, loaded or not (for did-you-mean); defaults to `all`. */
  constructor(
    readonly all: readonly Definition[],
    known?: readonly { kind: PluginKind; name: string }[],
  ) {
    this.known = known ?? all;
    for (const d of all) {
      let m = this.byKind.get(d.kind);
      if (!m) {
        this.byKind.set(d.kind, (m = new Map()));
      }
      m.set(d.name.toLowerCase(), d);
    }
  }

  find(kind: PluginKind, name: string): Definition | undefined {
    return this.byKind.get(kind)?.get(name.toLowerCase());
  }

  names(kind?: PluginKind): string[] {
    return this.known.filter((d) => !kind || d.kind === kind).map((d) => d.name);
  }

  /** The definition, or a ConfigError(CONFIG_UNKNOWN_CONNECTOR) naming alternatives. */
  resolve(kind: PluginKind, name: string, pos?: Pos): Definition {
    const hit = this.find(kind, name);
    if (hit) {
      return hit;
    }
    const other = (["source", "transform", "sink"] as const).filter((k) => k !== kind && this.find(k, name));
    if (other.length) {
      throw new ConfigError(
        "CONFIG_UNKNOWN_CONNECTOR",
        `${kind} "${name}" is not a known ${kind}; "${this.find(other[0]!, name)!.name}" is a ${other.join(" and a ")}`,
        pos,
      );
    }
    const upstream = SEATUNNEL_PLUGINS[kind].find((n) => n.toLowerCase() === name.toLowerCase());
    if (upstream) {
      throw new ConfigError(
        "CONFIG_UNSUPPORTED_CONNECTOR",
        notSupported(kind, upstream, "connector", `built-in ${kind}s: ${this.names(kind).sort().join(", ") || "none"}`),
        pos,
      );
    }
    const known = `built-in ${kind}s: ${this.names(kind).sort().join(", ") || "none"}`;
    throw new ConfigError(
      "CONFIG_UNKNOWN_CONNECTOR",
      notKnown(kind, name, "connector", [...this.names(kind), ...SEATUNNEL_PLUGINS[kind]], known),
      pos,
    );
  }

  /** A connector name on the command line, of any kind: its definitions, or the message saying why there are none. */
  lookup(name: string): Definition[] | string {
    const defs = this.all.filter((d) => d.name.toLowerCase() === name.toLowerCase());
    if (defs.length) {
      return defs;
    }
    const upstream = Object.values(SEATUNNEL_PLUGINS)
      .flat()
      .find((n) => n.toLowerCase() === name.toLowerCase());
    if (upstream) {
      return notSupported("connector", upstream, "connector", "`seatunnel connectors list` shows the built-in ones");
    }
    return notKnown("connector", name, "connector", [...this.names(), "env"]);
  }
}

/** SeaTunnel's plugin names (2.3.x), so a job naming one we lack gets "not supported yet", not "unknown". */
const SEATUNNEL_PLUGINS: Record<PluginKind, readonly string[]> = {
  source: [
    "FakeSource",
    "Jdbc",
    "LocalFile",
    "HdfsFile",
    "OssFile",
    "S3File",
    "FtpFile",
    "SftpFile",
    "CosFile",
    "Kafka",
    "Http",
    "Socket",
    "Hive",
    "Clickhouse",
    "Kudu",
    "Pulsar",
    "Hudi",
    "IoTDB",
    "Redis",
    "MongoDB",
    "Iceberg",
    "InfluxDB",
    "Elasticsearch",
    "RabbitMQ",
    "Paimon",
    "Doris",
    "StarRocks",
    "MySQL-CDC",
    "Postgres-CDC",
    "SqlServer-CDC",
    "Oracle-CDC",
    "MongoDB-CDC",
    "TiDB-CDC",
    "Cassandra",
    "Neo4j",
    "Hbase",
    "Milvus",
    "OpenMldb",
    "Web3j",
    "Github",
    "Gitlab",
    "Jira",
    "Klaviyo",
    "Lemlist",
    "MyHours",
    "Notion",
    "OneSignal",
    "Persistiq",
    "Easysearch",
    "AmazonDynamodb",
    "AmazonSqs",
    "GoogleSheets",
    "Tablestore",
    "Maxcompute",
    "TDengine",
    "Druid",
    "Qdrant",
    "Typesense",
    "Excel",
    "Rocketmq",
    "Mqtt",
    "Nats",
  ],
  transform: [
    "Sql",
    "FieldMapper",
    "FieldRename",
    "Filter",
    "FilterRowKind",
    "Replace",
    "Copy",
    "Split",
    "JsonPath",
    "RowKindExtractor",
    "DynamicCompile",
    "LLM",
    "Embedding",
    "TableRename",
    "TableMerge",
    "TableFilter",
    "Metadata",
  ],
  sink: [
    "Console",
    "Assert",
    "Jdbc",
    "LocalFile",
    "HdfsFile",
    "OssFile",
    "S3File",
    "FtpFile",
    "SftpFile",
    "CosFile",
    "Kafka",
    "Http",
    "Feishu",
    "Socket",
    "Hive",
    "Clickhouse",
    "ClickhouseFile",
    "Kudu",
    "Email",
    "DingTalk",
    "Elasticsearch",
    "IoTDB",
    "Neo4j",
    "Redis",
    "DataHub",
    "Sentry",
    "MongoDB",
    "Iceberg",
    "InfluxDB",
    "StarRocks",
    "Doris",
    "RabbitMQ",
    "Paimon",
    "Cassandra",
    "Hbase",
    "Milvus",
    "Pulsar",
    "Rocketmq",
    "S3Redshift",
    "Selectdb",
    "Slack",
    "Tablestore",
    "Maxcompute",
    "TDengine",
    "Typesense",
    "Qdrant",
    "Easysearch",
    "AmazonDynamodb",
    "AmazonSqs",
    "GoogleFirestore",
    "Hudi",
    "InMemory",
    "Mqtt",
    "Nats",
  ],
};

/**
 * The registry of the built-in connectors. With `needed` (the job's plugin blocks) only those
 * connectors' modules are loaded; without it, all of them.
 */
export async function builtinRegistry(needed?: readonly { kind: PluginKind; name: string }[]): Promise<Registry> {
  const { catalog } = await import("../../connectors/index.ts");
  const want = needed && new Set(needed.map((n) => `${n.kind}:${n.name.toLowerCase()}`));
  const entries = want ? catalog.filter((e) => want.has(`${e.kind}:${e.name.toLowerCase()}`)) : catalog;
  return new Registry(await Promise.all(entries.map((e) => e.load())), catalog);
}
