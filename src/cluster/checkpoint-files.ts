/**
 * A job's checkpoint folder in the cluster store (the default place of a cluster's checkpoints):
 * the job process writes each checkpoint to its folder and then, before the checkpoint's commits,
 * into the store with the names of every file the folder keeps (job.json and the retained
 * checkpoints), so the store holds exactly the folder. A member that takes a job over where it
 * cannot see the earlier attempt's folder (another machine) writes the folder back from the store
 * and resumes the job from it. A job that finished has its files removed.
 */
import type { Driver } from "./driver.ts";

export interface StoredFile {
  name: string;
  body: string;
}

export class CheckpointFiles {
  constructor(
    private readonly db: Driver,
    private readonly cluster: string,
  ) {}

  /** In one transaction: `put` written, and every other file of the job not named in `keep` removed. */
  async sync(jobId: string, keep: readonly string[], put: readonly StoredFile[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const others = keep.length ? ` AND name NOT IN (${keep.map(() => "?").join(", ")})` : "";
      await tx.run(`DELETE FROM checkpoint_files WHERE cluster = ? AND job_id = ?${others}`, [
        this.cluster,
        jobId,
        ...keep,
      ]);
      for (const f of put) {
        await tx.run(
          `INSERT INTO checkpoint_files (cluster, job_id, name, body) VALUES (?, ?, ?, ?)
           ON CONFLICT (cluster, job_id, name) DO UPDATE SET body = excluded.body`,
          [this.cluster, jobId, f.name, f.body],
        );
      }
    });
  }

  list(jobId: string): Promise<StoredFile[]> {
    return this.db.all<StoredFile>(
      "SELECT name, body FROM checkpoint_files WHERE cluster = ? AND job_id = ? ORDER BY name",
      [this.cluster, jobId],
    );
  }

  async drop(jobId: string): Promise<void> {
    await this.db.run("DELETE FROM checkpoint_files WHERE cluster = ? AND job_id = ?", [this.cluster, jobId]);
  }
}
