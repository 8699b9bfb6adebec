/**
 * Small SQL text helpers: the one table a simple query reads, and a user's sink `query` with `?`
 * or `:name` parameters compiled into a template that renders rows as literals (many rows per
 * round trip, as JDBC's rewriteBatchedStatements does for `INSERT … VALUES (…)`).
 */

/** `schema.table` of `SELECT … FROM <one table> [WHERE …]`, or undefined for anything else. */
export function singleTableOf(sql: string): string | undefined {
  const m =
    /^\s*select\s[\s\S]*?\sfrom\s+((?:[`"]?[\w$]+[`"]?\.){0,2}[`"]?[\w$]+[`"]?)\s*(?:(?:as\s+)?\w+\s*)?(?:where\s[\s\S]*)?;?\s*$/i.exec(
      sql,
    );
  if (!m || /\bjoin\b|,\s*[`"]?\w+[`"]?\s*(?:where|$)/i.test(sql.slice(m.index + m[0].indexOf(m[1]!)))) {
    return undefined;
  }
  if (/\b(union|group\s+by)\b/i.test(sql)) {
    return undefined;
  }
  return m[1]!.replace(/[`"]/g, "");
}

/** Splits SQL text at parameters outside quotes and comments. `names[i]` is undefined for `?`. */
export interface ParamSql {
  parts: string[];
  names: (string | undefined)[];
}

export function parseParams(sql: string): ParamSql {
  const parts: string[] = [];
  const names: (string | undefined)[] = [];
  let cur = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === "`") {
      const end = closeQuote(sql, i, c);
      cur += sql.slice(i, end);
      i = end;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end < 0 ? sql.length : end;
      cur += sql.slice(i, stop);
      i = stop;
    } else if (c === "?") {
      parts.push(cur);
      names.push(undefined);
      cur = "";
      i++;
    } else if (c === ":" && sql[i + 1] !== ":" && sql[i - 1] !== ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      const m = /^[A-Za-z_][\w]*/.exec(sql.slice(i + 1))!;
      parts.push(cur);
      names.push(m[0]);
      cur = "";
      i += 1 + m[0].length;
    } else {
      cur += c;
      i++;
    }
  }
  parts.push(cur);
  return { parts, names };
}

function closeQuote(s: string, start: number, q: string): number {
  let i = start + 1;
  while (i < s.length) {
    if (s[i] === "\\" && q === "'") {
      i += 2;
    } else if (s[i] === q) {
      if (s[i + 1] === q) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      i++;
    }
  }
  return s.length;
}

/** A compiled sink query: renders one row, or many rows in one statement when it is `INSERT … VALUES (…)`. */
export interface QueryTemplate {
  /** Field index per parameter. */
  fields: number[];
  render(rows: unknown[][], literal: (v: unknown) => string): string[];
}

export function compileQuery(sql: string, fieldNames: string[]): QueryTemplate {
  const body = sql.trim().replace(/;\s*$/, "");
  const p = parseParams(body);
  const fields = p.names.map((n, i) => {
    if (n === undefined) {
      return i;
    }
    const idx = fieldNames.indexOf(n);
    // Under --check a Jdbc source has not read its columns yet: names are checked at run time.
    if (idx < 0 && fieldNames.length === 0) {
      return i;
    }
    if (idx < 0) {
      throw new Error(
        `the sink query names parameter ":${n}", which is not a field of the input (${fieldNames.join(", ")})`,
      );
    }
    return idx;
  });
  const one = (row: unknown[], literal: (v: unknown) => string) => {
    let s = p.parts[0]!;
    for (let i = 0; i < fields.length; i++) {
      s += literal(row[fields[i]!]) + p.parts[i + 1]!;
    }
    return s;
  };
  // `INSERT … VALUES ( … )` with every parameter inside the last parenthesis: repeat the tuple.
  const vm = /\bvalues\s*\(\s*$/i.test(p.parts[0]!) && /^\s*\)\s*$/.test(p.parts[p.parts.length - 1]!);
  const head = vm ? p.parts[0]!.replace(/\(\s*$/, "") : "";
  return {
    fields,
    render(rows, literal) {
      if (!vm || fields.length === 0) {
        return rows.map((r) => one(r, literal));
      }
      const tuples = rows.map((r) => {
        let s = "(";
        for (let i = 0; i < fields.length; i++) {
          s += (i ? p.parts[i]! : "") + literal(r[fields[i]!]);
        }
        return `${s})`;
      });
      return [`${head}${tuples.join(",")}`];
    },
  };
}
