/**
 * The Assert sink at run time (AssertSink / AssertSinkWriter). Field rules are checked per row in
 * write(); each writer counts rows per table and hands its counts over in prepareCommit, and the
 * sink's commit (on the job master, once every writer of the pipeline has prepared, wherever the
 * writers ran) adds them up and checks row counts (MAX_ROW / MIN_ROW) and `table-names`. SeaTunnel
 * keeps JVM-static counters instead; the totals are the same.
 */
import type { PluginContext, Row, Sink, SinkWriter, TableSchema } from "../../src/api/index.ts";
import { JobError, typeToString } from "../../src/api/index.ts";
import { formatRowJava } from "../../src/api/format.ts";
import { ASSERTION, checkCatalogRule } from "./catalog.ts";
import { bindFields, fieldFails, type BoundField } from "./check.ts";
import type { AssertRules, FieldRule, TableRules, ValueRule } from "./rules.ts";

const RULE_FAILED = "ErrorCode:[ASSERT-01], ErrorDescription:[Rule validate failed] - ";

/** Where a row of one table id is counted and which bound field rules check it. */
interface Route {
  key: string;
  table: TableSchema | undefined;
  fields: BoundField[];
}

function fail(message: string): never {
  throw new JobError("ASSERT_RULE_FAILED", message, { failure: ASSERTION });
}

/** The tables_configs entries that have field_rules (AssertSink's assertFieldRules map). */
function fieldTables(rules: AssertRules): [string, FieldRule[]][] {
  return rules.tables
    ? [...rules.tables].flatMap(([k, t]) => (t.fieldRules ? [[k, t.fieldRules] as [string, FieldRule[]]] : []))
    : [];
}

/**
 * AssertSinkWriter.write: with several tables' field rules a row uses its own table's; with exactly
 * one, that one checks (and counts) every row whatever its table.
 */
function routeFor(
  rules: AssertRules,
  inputs: readonly TableSchema[],
  tableId: string,
): Omit<Route, "fields"> & { fieldRules?: FieldRule[] } {
  const table = inputs.find((t) => t.id === tableId) ?? (inputs.length === 1 ? inputs[0] : undefined);
  if (!rules.tables) {
    return { key: inputs.length === 1 ? inputs[0]!.id : tableId, table, fieldRules: rules.each?.fieldRules };
  }
  const withFields = fieldTables(rules);
  if (withFields.length === 1) {
    return { key: withFields[0]![0], table, fieldRules: withFields[0]![1] };
  }
  return { key: tableId, table, fieldRules: rules.tables.get(tableId)?.fieldRules };
}

/** Which rules of `rules` apply to an input table (for catalog rules). */
function tableRulesFor(rules: AssertRules, id: string): TableRules | undefined {
  return rules.tables ? rules.tables.get(id) : rules.each;
}

function rowCountFails(r: ValueRule, count: number): boolean {
  if (r.ruleType === "MAX_ROW") {
    return !(count <= r.ruleValue!);
  }
  if (r.ruleType === "MIN_ROW") {
    return !(count >= r.ruleValue!);
  }
  return false;
}

/** What one writer saw since its last checkpoint, handed to commit: counts per rule key and table ids in first-seen order. */
export interface AssertCommitInfo {
  /** Unique per writer and checkpoint, so a commit repeated after a restore is counted once. */
  id: string;
  counts: [string, number][];
  seen: string[];
}

class AssertState {
  private readonly routes = new Map<string, Route>();

  constructor(
    private readonly rules: AssertRules,
    private readonly inputs: readonly TableSchema[],
  ) {
    // Bind (and convert equals_to) for every planned input now, so a bad value is a config error.
    for (const t of inputs) {
      this.route(t.id);
    }
  }

  route(tableId: string): Route {
    let r = this.routes.get(tableId);
    if (r) {
      return r;
    }
    const { key, table, fieldRules } = routeFor(this.rules, this.inputs, tableId);
    if (fieldRules && !table) {
      fail(
        `Assert received a row of table "${tableId}", which is not one of its input tables (${this.inputs.map((t) => t.id).join(", ")})`,
      );
    }
    r = { key, table, fields: fieldRules && table ? bindFields(fieldRules, table) : [] };
    this.routes.set(tableId, r);
    return r;
  }

  check(row: Row, counts: Map<string, number>, seen: Set<string>): void {
    seen.add(row.table);
    const r = this.route(row.table);
    counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
    for (const b of r.fields) {
      if (b.index < 0) {
        const cols = r.table!.columns;
        const rowType = typeToString({ kind: "row", fields: cols.map((c) => ({ name: c.name, type: c.type })) });
        fail(
          `Assert rule failed on table "${row.table}": field_rules names field "${b.rule.fieldName}", which the table does not have (columns: ${cols.map((c) => c.name).join(", ")}); Field name ${b.rule.fieldName} not found in row type ${rowType}`,
        );
      }
      const value = row.fields[b.index];
      const why = fieldFails(b, value);
      if (why !== undefined) {
        fail(
          `Assert rule failed on table "${row.table}", field "${b.rule.fieldName}": ${why}; ${RULE_FAILED}row :${formatRowJava(row, r.table)} fail rule: ${b.rule.text}`,
        );
      }
    }
  }

  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly committedIds = new Set<string>();

  /** Adds the committed counts; at the pipeline's end, checks row counts and table names over all of them. */
  commit(infos: AssertCommitInfo[], end: boolean): void {
    for (const i of infos) {
      if (this.committedIds.has(i.id)) {
        continue;
      }
      this.committedIds.add(i.id);
      for (const [k, n] of i.counts) {
        this.counts.set(k, (this.counts.get(k) ?? 0) + n);
      }
      for (const t of i.seen) {
        this.seen.add(t);
      }
    }
    if (!end) {
      return;
    }
    this.checkCounts(this.counts);
    this.checkTableNames(this.seen);
  }

  private checkCounts(counts: Map<string, number>): void {
    const sets: [string, ValueRule[] | undefined][] = this.rules.tables
      ? [...this.rules.tables].map(([k, t]) => [k, t.rowRules])
      : this.inputs.map((t) => [t.id, this.rules.each?.rowRules]);
    for (const [key, rowRules] of sets) {
      const count = counts.get(key) ?? 0;
      const bad = rowRules?.find((r) => rowCountFails(r, count));
      if (bad) {
        fail(
          `Assert rule failed on table "${key}": ${bad.ruleType} ${bad.ruleValue} violated by row count ${count}; ${RULE_FAILED}row num :${count} fail rule: ${bad.text}`,
        );
      }
    }
  }

  private checkTableNames(seenTables: Set<string>): void {
    const want = this.rules.tableNames;
    if (want.length === 0) {
      return;
    }
    const wantSet = new Set(want);
    const same = wantSet.size === seenTables.size && [...seenTables].every((t) => wantSet.has(t));
    if (!same) {
      const seen = `[${[...seenTables].join(", ")}]`;
      fail(
        `Assert rule failed: table-names expects the tables [${want.join(", ")}] but the sink saw ${seen}; ${RULE_FAILED}table names: ${seen} is not equal to [${want.join(", ")}]`,
      );
    }
  }
}

class AssertWriter implements SinkWriter<AssertCommitInfo> {
  private counts = new Map<string, number>();
  private seen = new Set<string>();
  private readonly writerId = crypto.randomUUID();

  constructor(private readonly state: AssertState) {}

  write(batch: Row[]): void {
    for (let i = 0; i < batch.length; i++) {
      this.state.check(batch[i]!, this.counts, this.seen);
    }
  }

  prepareCommit(checkpointId: number): AssertCommitInfo {
    const info = { id: `${this.writerId}-${checkpointId}`, counts: [...this.counts], seen: [...this.seen] };
    this.counts = new Map();
    this.seen = new Set();
    return info;
  }

  close(): void {}
}

/**
 * Builds the sink: logs ignored keys, checks `catalog_table_rule` against every input table it
 * applies to (throws JobError ASSERT_RULE_FAILED), binds field rules (throws ConfigError for an
 * `equals_to` that cannot become the column's type).
 */
export function assertSink(rules: AssertRules, inputs: readonly TableSchema[], ctx: PluginContext): Sink {
  for (const w of rules.warnings) {
    ctx.log.warn(w);
  }
  for (const t of inputs) {
    const catalog = tableRulesFor(rules, t.id)?.catalog;
    if (catalog) {
      checkCatalogRule(catalog, t);
    }
  }
  const state = new AssertState(rules, inputs);
  return {
    describeWrite: () => "checks every row against its rules; nothing is stored",
    writer: () => new AssertWriter(state),
    // Without a context (a caller outside the engine) a commit is the end.
    commit: (infos, info) => state.commit(infos as AssertCommitInfo[], info?.end ?? true),
  };
}
