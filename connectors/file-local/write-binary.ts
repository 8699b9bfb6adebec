/**
 * The binary sink (BinaryWriteStrategy): rows of the binary source (data, relativePath,
 * partIndex) are appended, in part order, to `<transaction dir>/<relativePath>` and moved to
 * `<path>/<relativePath>` on commit, so files are copied byte for byte.
 */
import { join } from "node:path";
import { JobError, type Row } from "../../src/api/index.ts";
import { OutFile } from "../file-common/out-file.ts";
import { abortTable, type TableCommit, type TableSinkConfig, type TxnNames } from "./sink-table.ts";

export class BinaryTableWriter {
  private checkpointId = 1;
  private readonly files = new Map<string, { out: OutFile; part: bigint; target: string }>();
  private moves: [string, string][] = [];

  constructor(
    private readonly cfg: TableSinkConfig,
    private readonly names: TxnNames,
  ) {}

  get transactionDir(): string {
    const n = this.names;
    return join(
      this.cfg.o.tmp_path,
      "seatunnel",
      n.jobId,
      n.uuid,
      `T_${n.jobId}_${n.uuid}_${n.subtask}_${this.checkpointId}`,
    );
  }

  async write(rows: Row[]): Promise<void> {
    for (const r of rows) {
      const [data, rel, part] = r.fields as [Uint8Array | null, string | null, bigint | number | null];
      const partIndex = BigInt(part ?? -1);
      if (partIndex === -1n || rel === null) {
        continue;
      }
      let f = this.files.get(rel);
      if (!f) {
        const target = join(this.cfg.path, rel);
        const tmp = this.cfg.o.is_enable_transaction ? join(this.transactionDir, rel) : target;
        f = { out: new OutFile(tmp), part: -1n, target };
        this.files.set(rel, f);
      }
      if (partIndex - 1n !== f.part) {
        throw new JobError("FILE_BINARY_PART_ORDER", `writing "${rel}": Last order is ${f.part}, but get ${partIndex}`);
      }
      f.part = partIndex;
      if (data) {
        f.out.write(data);
      }
    }
  }

  async prepare(checkpointId: number): Promise<TableCommit> {
    for (const f of this.files.values()) {
      f.out.close();
      if (f.out.path !== f.target) {
        this.moves.push([f.out.path, f.target]);
      }
    }
    this.files.clear();
    const info: TableCommit = { transactionDir: this.transactionDir, moves: this.moves };
    this.moves = [];
    this.checkpointId = checkpointId + 1;
    return info;
  }

  async abort(): Promise<void> {
    for (const f of this.files.values()) {
      f.out.close();
    }
    this.files.clear();
    abortTable({ transactionDir: this.transactionDir, moves: this.moves });
  }
}
