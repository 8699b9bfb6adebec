/**
 * JavaScriptCore settings for jobs that run on a pool of workers. JSC marks the heap with a
 * process-wide pool of helper threads; with N pool workers busy on N cores, every helper a
 * worker's collection wakes takes a core from another worker, and the helpers spin while they
 * wait (bench/engine.ts, P2 against P1, shows what one marker per heap gains). A job on one thread keeps the
 * default, where the helper uses an otherwise idle core. For the same reason such a job compiles
 * optimized code on the thread that needs it (BUN_JSC_useConcurrentJIT=0): every worker VM
 * compiles its own hot code, and concurrent compiler threads only take cores from the workers
 * (bench/file-local.ts, the csv copy at parallelism 2).
 *
 * A third sizes the heaps for a data mover rather than for the machine (BUN_JSC_forceRAMSize,
 * 2 GiB): JSC lets each VM's heap grow in proportion to the physical memory before it collects,
 * so on a large machine every pool worker held some 60 MB of garbage more (bench/matrix.ts, csv
 * → PostgreSQL at parallelism 2: 184 MB peak RSS with the default, 143 MB with this). It is a
 * growth heuristic, not a limit: a heap that needs more still gets it.
 *
 * A fourth keeps JSC's top tier (FTL) to functions of a moderate size
 * (BUN_JSC_maximumFTLCandidateBytecodeCost, 2000 against JSC's 20000): the line scans generated
 * per schema (connectors/file-common/line-check.ts) are large, and compiling one with FTL cost each
 * worker some 30 MB for no speed (bench/matrix.ts, csv → PostgreSQL at parallelism 2, 30 columns:
 * 191 MB peak RSS and 1.4 s of CPU with the default, 127 MB and 1.2 s with this; the decoding path
 * the same CPU, 161 → 147 MB).
 *
 * JSC reads its options once, when the process starts, so the setting is applied by replacing
 * this process with itself (execve: same pid, same stdio, signals and exit code untouched) with
 * BUN_JSC_numberOfGCMarkers=1 (and the three others) added. A
 * user who sets the marker variable keeps all defaults as they are, one who sets another keeps
 * their value; where execve cannot be called the job simply runs with the defaults.
 */
import { PRE_EXEC_PEAK_VAR, peakRssKb } from "./peak-rss.ts";

export const GC_MARKERS_VAR = "BUN_JSC_numberOfGCMarkers";
export const CONCURRENT_JIT_VAR = "BUN_JSC_useConcurrentJIT";
export const RAM_SIZE_VAR = "BUN_JSC_forceRAMSize";
export const FTL_COST_VAR = "BUN_JSC_maximumFTLCandidateBytecodeCost";

/** Sources' subtasks of a job: each is one chain; more than one means a worker pool. */
export function wantsOneMarker(
  chains: number,
  workers: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env[GC_MARKERS_VAR] !== undefined || env.SEATUNNEL_NO_REEXEC === "1") {
    return false;
  }
  const pool = Math.min(workers ?? navigator.hardwareConcurrency, chains);
  return chains > 1 && pool > 1;
}

/** The argv that starts this same program again: the compiled binary, or bun with the script. */
export function selfArgv(
  argv: readonly string[] = process.argv,
  execPath = process.execPath,
): { path: string; argv: string[] } {
  // In a `bun build --compile` binary argv[1] is the embedded entry (/$bunfs/root/...), not a user argument.
  const compiled = argv[1]?.startsWith("/$bunfs/") === true;
  return { path: execPath, argv: compiled ? [execPath, ...argv.slice(2)] : [execPath, ...argv.slice(1)] };
}

/** Replaces this process with itself plus `BUN_JSC_numberOfGCMarkers=1`; returns only if that is impossible. */
export async function execWithOneMarker(log: (m: string) => void): Promise<void> {
  if (process.platform !== "linux" && process.platform !== "darwin") {
    return;
  }
  try {
    const { dlopen, FFIType, ptr } = await import("bun:ffi");
    const libc = dlopen(process.platform === "darwin" ? "libc.dylib" : "libc.so.6", {
      execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    });
    const keep: Buffer[] = [];
    const cString = (s: string) => {
      const b = Buffer.from(`${s}\0`);
      keep.push(b);
      return b;
    };
    const list = (xs: string[]) => {
      const a = new BigUint64Array(xs.length + 1);
      xs.forEach((x, i) => (a[i] = BigInt(ptr(cString(x)))));
      return a;
    };
    const self = selfArgv();
    const env = Object.entries({
      [CONCURRENT_JIT_VAR]: "0",
      [RAM_SIZE_VAR]: String(2 ** 31),
      [FTL_COST_VAR]: "2000",
      ...process.env,
      [GC_MARKERS_VAR]: "1",
      [PRE_EXEC_PEAK_VAR]: String(peakRssKb()),
    }).map(([k, v]) => `${k}=${v ?? ""}`);
    const argv = list(self.argv);
    const envp = list(env);
    libc.symbols.execve(ptr(cString(self.path)), ptr(argv), ptr(envp));
    log(`execve of ${self.path} failed; running with JavaScriptCore's default GC markers`);
  } catch (e) {
    log(`could not re-execute with one GC marker (${(e as Error).message}); running with the default`);
  }
}
