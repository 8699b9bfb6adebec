/**
 * `ZoneId.of(id)` and `Instant.atZone(zone).toLocalDateTime()`: fixed offsets (`Z`, `+08:00`,
 * `UTC+8`, `GMT-05:30`) and region ids (`Asia/Shanghai`, through Intl), with Java's errors.
 */
import { LocalDate, LocalDateTime, LocalTime } from "../../../src/api/index.ts";
import { JavaError } from "./java.ts";

/** Offset in seconds of `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`; undefined when malformed. */
function parseOffset(text: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (!m) {
    return undefined;
  }
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const s = Number(m[4] ?? 0);
  if (h > 18 || mi > 59 || s > 59) {
    return undefined;
  }
  const total = h * 3600 + mi * 60 + s;
  if (total > 18 * 3600) {
    return undefined;
  }
  return m[1] === "-" ? -total : total;
}

export type Zone = { fixed: number } | { region: string } | { system: true };

const cache = new Map<string, Zone>();

/** Java's ZoneId.of rules; throws DateTimeException like Java for an unknown id. */
export function zoneOf(id: string): Zone {
  const hit = cache.get(id);
  if (hit) {
    return hit;
  }
  let zone: Zone | undefined;
  if (id === "Z") {
    zone = { fixed: 0 };
  } else if (id.startsWith("+") || id.startsWith("-")) {
    const off = parseOffset(id);
    if (off === undefined) {
      throw new JavaError("DateTimeException", `Invalid ID for ZoneOffset, invalid format: ${id}`);
    }
    zone = { fixed: off };
  } else {
    const prefix = ["UTC", "GMT", "UT"].find((p) => id === p || id.startsWith(`${p}+`) || id.startsWith(`${p}-`));
    if (prefix) {
      const rest = id.slice(prefix.length);
      const off = rest === "" ? 0 : parseOffset(rest);
      if (off === undefined) {
        throw new JavaError("DateTimeException", `Invalid ID for offset-based ZoneId: ${id}`);
      }
      zone = { fixed: off };
    } else {
      if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id)) {
        throw new JavaError("DateTimeException", `Invalid ID for region-based ZoneId, invalid format: ${id}`);
      }
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: id });
      } catch {
        throw new JavaError("java.time.zone.ZoneRulesException", `Unknown time-zone ID: ${id}`);
      }
      zone = { region: id };
    }
  }
  cache.set(id, zone);
  return zone;
}

const fromUtcDate = (d: Date, nano: number): LocalDateTime =>
  new LocalDateTime(
    new LocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()),
    new LocalTime(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), nano),
  );

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant (epoch milliseconds) in a zone. */
export function atZone(ms: number, zone: Zone): LocalDateTime {
  const nano = (((ms % 1000) + 1000) % 1000) * 1_000_000;
  if ("fixed" in zone) {
    return fromUtcDate(new Date(ms + zone.fixed * 1000), nano);
  }
  if ("system" in zone) {
    const d = new Date(ms);
    return new LocalDateTime(
      new LocalDate(d.getFullYear(), d.getMonth() + 1, d.getDate()),
      new LocalTime(d.getHours(), d.getMinutes(), d.getSeconds(), nano),
    );
  }
  let f = formatters.get(zone.region);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone.region,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone.region, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) {
    parts[p.type] = p.value;
  }
  const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
  return new LocalDateTime(
    new LocalDate(year, Number(parts.month), Number(parts.day)),
    new LocalTime(Number(parts.hour), Number(parts.minute), Number(parts.second), nano),
  );
}
