/**
 * The process logger. Lines look like SeaTunnel's client log (`2024-10-23 20:05:14,871 INFO  msg`):
 * INFO and DEBUG on stdout, WARN and ERROR on stderr; with `stderr: true` (run --json, whose stdout
 * holds only the result object) every line goes to stderr. Console sink rows arrive in bulk through
 * `lines()` and are written with one call per batch.
 */
import { createConsola, type ConsolaInstance, type LogObject } from "consola/core";
import type { Logger } from "../api/connector.ts";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function timestamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

const LEVEL_NAME: Record<number, string> = { 0: "ERROR", 1: "WARN ", 2: "INFO ", 3: "INFO ", 4: "DEBUG", 5: "TRACE" };

export interface ProcessLogger extends Logger {
  lines(messages: string[]): void;
  /** The line the progress display draws over; cleared before any log line is written. */
  setStatus(line: string | undefined): void;
  consola: ConsolaInstance;
}

export function createLogger(o: { verbose: boolean; quiet?: boolean; stderr?: boolean }): ProcessLogger {
  let status: string | undefined;
  const info = o.stderr ? process.stderr : process.stdout;
  const clearStatus = () => {
    if (status !== undefined) {
      process.stderr.write("\r\x1b[2K");
    }
  };
  const redrawStatus = () => {
    if (status !== undefined) {
      process.stderr.write(status);
    }
  };
  const write = (level: number, text: string) => {
    const line = `${timestamp()} ${LEVEL_NAME[level] ?? "INFO "} ${text}\n`;
    clearStatus();
    if (level <= 1) {
      process.stderr.write(line);
    } else {
      info.write(line);
    }
    redrawStatus();
  };
  const consola = createConsola({
    level: o.verbose ? 4 : o.quiet ? 1 : 3,
    reporters: [{ log: (obj: LogObject) => write(obj.level, obj.args.map(String).join(" ")) }],
  });
  return {
    consola,
    info: (m) => consola.info(m),
    warn: (m) => consola.warn(m),
    error: (m) => consola.error(m),
    debug: (m) => consola.debug(m),
    lines(messages) {
      if (!messages.length || consola.level < 3) {
        return;
      }
      const ts = timestamp();
      clearStatus();
      info.write(`${messages.map((m) => `${ts} INFO  ${m}`).join("\n")}\n`);
      redrawStatus();
    },
    setStatus(line) {
      clearStatus();
      status = line;
      redrawStatus();
    },
  };
}
