/**
 * Assert: a sink that checks the data it receives against rules and fails the job on the first
 * violation (SeaTunnel's connector-assert). Job files that end in Assert are this project's tests.
 */
import { ConfigError, defineSink, opt, type Opt } from "../../src/api/index.ts";
import { parseRules, type AssertRules } from "./rules.ts";
import { assertSink } from "./sink.ts";

function rulesOption(): Opt<AssertRules> {
  const base = opt.node({
    doc: "Rules: row_rules (MAX_ROW/MIN_ROW), field_rules (field_name, field_type, field_value = [{ rule_type, rule_value, equals_to }]), catalog_table_rule, table-names, or per table in tables_configs (table_path + the same keys)",
    required: true,
    type: "object",
    expects: "an object with row_rules, field_rules, catalog_table_rule, table-names or tables_configs",
  });
  return {
    meta: base.meta,
    parse(node) {
      try {
        return { ok: true, value: parseRules(node) };
      } catch (e) {
        if (e instanceof ConfigError) {
          return { ok: false, error: e };
        }
        throw e;
      }
    },
  };
}

const SIMPLE = `env {
  parallelism = 1
  job.mode = "BATCH"
}

source {
  FakeSource {
    result_table_name = "fake"
    row.num = 10
    schema = {
      fields {
        name = "string"
        age = "int"
      }
    }
  }
}

sink {
  Assert {
    source_table_name = "fake"
    rules {
      row_rules = [
        { rule_type = MAX_ROW, rule_value = 10 },
        { rule_type = MIN_ROW, rule_value = 10 }
      ]
      field_rules = [
        {
          field_name = name
          field_type = string
          field_value = [ { rule_type = NOT_NULL }, { rule_type = MIN_LENGTH, rule_value = 5 }, { rule_type = MAX_LENGTH, rule_value = 5 } ]
        },
        {
          field_name = age
          field_type = int
          field_value = [ { rule_type = NOT_NULL }, { rule_type = MIN, rule_value = 0 } ]
        }
      ]
    }
  }
}
`;

const EQUALS = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    schema = { fields { id = bigint, name = string, score = "decimal(5, 1)" } }
    rows = [ { kind = INSERT, fields = [1, "A", "99.5"] } ]
  }
}

sink {
  Assert {
    rules {
      row_rules = [ { rule_type = MIN_ROW, rule_value = 1 } ]
      field_rules = [
        { field_name = name, field_type = string, field_value = [ { equals_to = "A" } ] },
        { field_name = score, field_type = "decimal(5, 1)", field_value = [ { rule_type = MAX, rule_value = 100, equals_to = 99.5 } ] }
      ]
    }
  }
}
`;

const MULTI = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    tables_configs = [
      { row.num = 3, schema { table = "test.table1", fields { c_int = int } } },
      { row.num = 4, schema { table = "test.table2", fields { c_string = string } } }
    ]
  }
}

sink {
  Assert {
    rules {
      table-names = ["test.table1", "test.table2"]
      tables_configs = [
        { table_path = "test.table1", row_rules = [ { rule_type = MAX_ROW, rule_value = 3 } ] },
        {
          table_path = "test.table2"
          row_rules = [ { rule_type = MIN_ROW, rule_value = 4 } ]
          field_rules = [ { field_name = c_string, field_type = string, field_value = [ { rule_type = NOT_NULL } ] } ]
        }
      ]
    }
  }
}
`;

export const assertSinkDefinition = defineSink({
  name: "Assert",
  doc: "Checks every row against field rules (type, NULL/NOT_NULL, MIN/MAX, MIN_LENGTH/MAX_LENGTH, equals_to), the row count per table at the end (MAX_ROW/MIN_ROW), the set of tables seen (table-names) and the input schema (catalog_table_rule); the first violation fails the job with error ASSERT_RULE_FAILED.",
  options: { rules: rulesOption() },
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    { title: "Row count and field rules", conf: SIMPLE },
    { title: "Exact values with equals_to", conf: EQUALS },
    { title: "Several tables", conf: MULTI },
  ],
  create: (o, inputs, ctx) => assertSink(o.rules, inputs, ctx),
});
