/**
 * What a member never shows of a job: the values of its sensitive options (SeaTunnel's list,
 * password, username, auth, token, and keys that name a secret, a key or an authorization), in every response, page
 * and served log. A job's config is shown with those values as `******`; text (an error message,
 * a log) has each secret value of its job, and any password in a URL, replaced.
 */

export const MASK = "******";

/** SeaTunnel's sensitive keys (ConfigShadeUtils), and ours: keys that name a secret. */
const SENSITIVE =
  /^(password|username|auth|token)$|passw|secret|token|credential|authorization|private[_.-]?key|access[_.-]?key|api[_.-]?key/i;

/** Keys whose values are masked where they are shown, but too common to hunt for in free text. */
const NOT_IN_TEXT = /^username$/i;

/** `config` (a job config as plain JSON) with its sensitive values masked, at any depth. */
export function redactConfig(config: unknown): unknown {
  if (Array.isArray(config)) {
    return config.map(redactConfig);
  }
  if (config !== null && typeof config === "object") {
    return Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, SENSITIVE.test(k) && typeof v !== "object" ? MASK : redactConfig(v)]),
    );
  }
  return config;
}

/** The secret values of a job config (JSON text), longest first, to hunt for in its logs and errors. */
export function secretsOf(config: string): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (SENSITIVE.test(k) && !NOT_IN_TEXT.test(k) && (typeof v === "string" || typeof v === "number")) {
          // Shorter values would mask ordinary words; they still go from configs and URLs.
          if (String(v).length >= 4) {
            found.add(String(v));
          }
        } else {
          walk(v);
        }
      }
    }
  };
  try {
    walk(JSON.parse(config));
  } catch {
    // Not JSON: nothing to hunt for but URL passwords.
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with each of `secrets` and every URL or JDBC password masked. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.replaceAll(s, MASK);
  }
  return out
    .replace(/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MASK}@`)
    .replace(/([?&;]password=)[^&;\s]*/gi, `$1${MASK}`);
}

/**
 * Masks `secrets` (and URL passwords) in everything this process writes to stdout and stderr: a
 * member's job process, whose output is the job's log file on the member.
 */
export function maskOutput(secrets: readonly string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text =
        typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : null;
      return write(text === null ? chunk : redactText(text, secrets), ...rest);
    }) as typeof stream.write;
  }
}
