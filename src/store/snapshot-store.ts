/**
 * Snapshots and audit reports kept per host. Documents are stored as the JSON text the tool
 * wrote (byte for byte, so a snapshot read back parses exactly as the file would); the
 * caller parses and validates them. Each write is one transaction: a writer that fails leaves
 * nothing half-stored, and concurrent writers each keep every snapshot they store.
 *
 * @module
 */
import type { SqlEngine, SqlSession } from './sql-engine.js';

export interface SnapshotToStore {
  /** The host's key: its inventory name, or the target as written, or the collecting host's name. */
  host: string;
  /** The snapshot's own collectedAt (ISO 8601). */
  collectedAt: string;
  /** The snapshot JSON, as `collect` writes it. */
  document: string;
}

export interface StoredSnapshotInfo {
  id: number;
  host: string;
  collectedAt: string;
  storedAt: string;
}

export interface StoredSnapshot extends StoredSnapshotInfo {
  document: string;
}

/**
 * An audit report kept host by host: a fleet's report as one JSON text outgrows what one
 * string (and one row) can hold, and per-host parts can be written as they are ready.
 */
export interface ReportToStore {
  generatedAt: string;
  /** The report's JSON without its hosts and findings (format, tool, policy, summary). */
  header: string;
  hosts: readonly ReportPart[];
}

export interface ReportPart {
  host: string;
  /** The stored snapshot the host was audited from, if it came from the store. */
  snapshotId: number | null;
  /** JSON of the host's audit and its findings. */
  document: string;
}

export interface StoredReport {
  id: number;
  generatedAt: string;
  header: string;
  /** By host name. */
  hosts: ReportPart[];
}

export interface StoredHost {
  name: string;
  snapshots: number;
  latest: string | null;
}

const ISO = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const INFO_COLUMNS = `s.id, h.name AS host, ${ISO('s.collected_at')} AS "collectedAt", ${ISO('s.stored_at')} AS "storedAt"`;
const FROM = `portcullis_snapshots s JOIN portcullis_hosts h ON h.id = s.host_id`;
/** Newest first; a tie in time goes to the later write. */
const NEWEST = `s.collected_at DESC, s.id DESC`;

async function hostId(tx: SqlSession, name: string): Promise<number> {
  // An upsert in one statement: two writers adding the same new host both get its id.
  const rows = await tx.query<{ id: number }>(`INSERT INTO portcullis_hosts (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, [name]);
  return rows[0]!.id;
}

export class SnapshotStore {
  constructor(private readonly db: SqlEngine) {}

  /** What the user named (password removed). */
  get display(): string {
    return this.db.display;
  }

  /** Store snapshots in one transaction: all of them or none. */
  async saveSnapshots(snapshots: readonly SnapshotToStore[]): Promise<StoredSnapshotInfo[]> {
    return this.db.transaction(async (tx) => {
      const out: StoredSnapshotInfo[] = [];
      for (const s of snapshots) {
        const id = await hostId(tx, s.host);
        const rows = await tx.query<StoredSnapshotInfo>(
          `WITH s AS (INSERT INTO portcullis_snapshots (host_id, collected_at, document) VALUES ($1, $2::timestamptz, $3) RETURNING *)
           SELECT s.id, $4::text AS host, ${ISO('s.collected_at')} AS "collectedAt", ${ISO('s.stored_at')} AS "storedAt" FROM s`,
          [id, s.collectedAt, s.document, s.host],
        );
        out.push(rows[0]!);
      }
      return out;
    });
  }

  async saveSnapshot(snapshot: SnapshotToStore): Promise<StoredSnapshotInfo> {
    return (await this.saveSnapshots([snapshot]))[0]!;
  }

  /** The newest snapshot of every host, hosts by name. */
  async latestSnapshots(): Promise<StoredSnapshot[]> {
    return this.db.query<StoredSnapshot>(
      `SELECT * FROM (SELECT DISTINCT ON (s.host_id) ${INFO_COLUMNS}, s.document FROM ${FROM} ORDER BY s.host_id, ${NEWEST}) latest ORDER BY host`,
    );
  }

  /** The snapshot in force at `at` (the newest collected at or before it), or the newest when `at` is null. */
  async snapshotAt(host: string, at: Date | null): Promise<StoredSnapshot | null> {
    const rows = await this.db.query<StoredSnapshot>(
      `SELECT ${INFO_COLUMNS}, s.document FROM ${FROM} WHERE h.name = $1 AND ($2::timestamptz IS NULL OR s.collected_at <= $2::timestamptz) ORDER BY ${NEWEST} LIMIT 1`,
      [host, at?.toISOString() ?? null],
    );
    return rows[0] ?? null;
  }

  /**
   * A host's snapshots, oldest first: those collected after `since`, preceded by the one in
   * force at `since` (the baseline the first change is measured from). All when `since` is null.
   */
  async history(host: string, since: Date | null): Promise<StoredSnapshot[]> {
    const after = await this.db.query<StoredSnapshot>(
      `SELECT ${INFO_COLUMNS}, s.document FROM ${FROM} WHERE h.name = $1 AND ($2::timestamptz IS NULL OR s.collected_at > $2::timestamptz) ORDER BY s.collected_at, s.id`,
      [host, since?.toISOString() ?? null],
    );
    const baseline = since ? await this.snapshotAt(host, since) : null;
    return baseline ? [baseline, ...after] : after;
  }

  /** Every host with its number of snapshots and the time of its newest. */
  async hosts(): Promise<StoredHost[]> {
    return this.db.query<StoredHost>(
      `SELECT h.name, count(s.id)::integer AS snapshots, ${ISO('max(s.collected_at)')} AS latest FROM portcullis_hosts h LEFT JOIN portcullis_snapshots s ON s.host_id = h.id GROUP BY h.name ORDER BY h.name`,
    );
  }

  /** Store an audit report, host by host, in one transaction; returns its id. */
  async saveReport(report: ReportToStore): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: number }>(`INSERT INTO portcullis_reports (generated_at, header) VALUES ($1::timestamptz, $2) RETURNING id`, [report.generatedAt, report.header]);
      for (const part of report.hosts) {
        await tx.query(`INSERT INTO portcullis_report_hosts (report_id, host, snapshot_id, document) VALUES ($1, $2, $3, $4)`, [row!.id, part.host, part.snapshotId, part.document]);
      }
      return row!.id;
    });
  }

  /** The newest stored audit report, or null. */
  async latestReport(): Promise<StoredReport | null> {
    const [row] = await this.db.query<{ id: number; generatedAt: string; header: string }>(
      `SELECT id, ${ISO('generated_at')} AS "generatedAt", header FROM portcullis_reports ORDER BY stored_at DESC, id DESC LIMIT 1`,
    );
    if (!row) return null;
    const hosts = await this.db.query<ReportPart>(`SELECT host, snapshot_id AS "snapshotId", document FROM portcullis_report_hosts WHERE report_id = $1 ORDER BY host`, [row.id]);
    return { ...row, hosts };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
