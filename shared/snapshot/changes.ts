/**
 * A snapshot's change log, `changes.json`: the resources added, removed and changed per kind since
 * the previous complete snapshot (the one `latest.json` named when the backup started), by name,
 * with each changed member's old and new value. The backup writes it just before the manifest,
 * which lists it (kind `changes`), so `verify` checks it like any object; `connect-vault changes`
 * reads it instead of comparing the two snapshots again. It is computed with the same comparison
 * as `connect-vault diff` ({@link compareSources}), volatile members left out.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { compareSources, type DiffSource, isIdentical, type KindDiff, type SnapshotDiff } from './diff.js';
import { CHANGES_FILE, CHANGES_KIND, FORMAT_VERSION, isSnapshotId, type Manifest } from './format.js';
import type { SnapshotStore } from './store.js';
import { parseDocument, readVerifiedManifest, readVerifiedObject, SnapshotIntegrityError } from './verify.js';

const count = z.number().int().nonnegative();
const snapshotIdSchema = z
  .string()
  .refine(isSnapshotId, 'must be a snapshot id like 2026-11-22T02-00-07.123Z');

/** Schema of one kind's differences (a {@link KindDiff}). */
const kindDiffSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(
    z.object({
      name: z.string(),
      paths: z.array(z.string()),
      changes: z.array(
        z.object({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() }),
      ),
    }),
  ),
  unchanged: count,
});

/** The snapshot a change log compares with: the one `latest.json` named when the backup started. */
export const previousSnapshotSchema = z.object({
  snapshotId: snapshotIdSchema,
  /** The `finishedAt` of its manifest (ISO 8601 UTC). */
  finishedAt: z.iso.datetime(),
});

/** The previous complete snapshot of a change log. */
export type PreviousSnapshot = z.infer<typeof previousSnapshotSchema>;

/**
 * Schema of `changes.json`, format version 1. `changes` has the shape `connect-vault diff --json`
 * prints as `kinds`: per kind the names added and removed, the changed resources with their
 * differing members (JSON paths, at most 20 a resource, each with `before` and `after`; a member
 * absent on one side has no value there), and how many are unchanged. Kind `instance` holds the
 * instance settings (`attributes`, `approved origins`).
 */
export const changeLogSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  /** The snapshot this log belongs to. */
  snapshotId: snapshotIdSchema,
  instanceId: z.string().min(1),
  /**
   * The previous complete snapshot, or `null` for the first snapshot of an instance: then nothing
   * is compared and every resource counts as added.
   */
  previous: previousSnapshotSchema.nullable(),
  /**
   * Why nothing could be compared (the previous snapshot's manifest or one of its objects cannot be
   * read, or `latest.json` cannot be): `changes` then lists nothing and `total` is 0. Absent when the
   * comparison was made.
   */
  unavailable: z.string().optional(),
  /**
   * A partial snapshot's kinds, the only ones compared (instance settings not included). Absent
   * for a complete snapshot: every kind and the instance settings were compared.
   */
  kinds: z.array(z.string()).optional(),
  /** Resources added, removed and changed, over every kind. */
  total: z.object({ added: count, removed: count, changed: count }),
  changes: z.record(z.string(), kindDiffSchema),
});

/** A parsed `changes.json`. */
export type ChangeLog = z.infer<typeof changeLogSchema>;

/** Added, removed and changed resources in all: the backup's `ChangedResources` metric. */
export function changedResources(log: Pick<ChangeLog, 'total'>): number {
  return log.total.added + log.total.removed + log.total.changed;
}

/** What {@link buildChangeLog} compares. */
export interface ChangeLogInput {
  store: SnapshotStore;
  prefix: string;
  /** The new snapshot: its id, instance and every object its manifest will list (already stored). */
  snapshot: DiffSource['manifest'];
  /**
   * The previous complete snapshot; `null` when the instance had none; a string when it is not
   * known, saying why (`latest.json` could not be read): the log then says so and lists nothing.
   */
  previous: PreviousSnapshot | null | string;
  /** A partial snapshot's kinds: only those are compared. */
  kinds?: readonly string[];
}

/**
 * Compares a snapshot a backup is finishing with the previous complete snapshot, for its
 * `changes.json`. Reads the previous manifest, then only the documents whose SHA-256 differs
 * between the two (both sides checked against their SHA-256), a few at a time: memory holds names
 * and differences, never a whole snapshot. A previous snapshot that cannot be read (no manifest, a
 * bad manifest, a damaged object) does not fail: the log says why in `unavailable`.
 *
 * @throws Whatever the store throws besides integrity problems (S3 unreachable after retries).
 */
export async function buildChangeLog(input: ChangeLogInput): Promise<ChangeLog> {
  const { store, prefix, snapshot } = input;
  const base = {
    formatVersion: FORMAT_VERSION,
    snapshotId: snapshot.snapshotId,
    instanceId: snapshot.instance.id,
    ...(input.kinds ? { kinds: [...input.kinds] } : {}),
  } as const;
  const unavailable = (previous: PreviousSnapshot | null, why: string): ChangeLog => ({
    ...base,
    previous,
    unavailable: why,
    total: { added: 0, removed: 0, changed: 0 },
    changes: {},
  });
  if (typeof input.previous === 'string') return unavailable(null, input.previous);
  const right: DiffSource = {
    manifest: snapshot,
    read: (entry) => readVerifiedObject(store, prefix, snapshot, entry),
  };
  const { previous } = input;
  let changes: Record<string, KindDiff>;
  try {
    let left: DiffSource | undefined;
    if (previous) {
      const manifest: Manifest = await readVerifiedManifest(
        store,
        prefix,
        snapshot.instance.id,
        previous.snapshotId,
      );
      left = { manifest, read: (entry) => readVerifiedObject(store, prefix, manifest, entry) };
    }
    changes = await compareSources(left, right, {
      ...(input.kinds ? { kinds: input.kinds } : {}),
      readUnchanged: false,
    });
  } catch (error) {
    if (!(error instanceof SnapshotIntegrityError)) throw error;
    return unavailable(previous, `snapshot ${previous?.snapshotId} cannot be compared: ${error.message}`);
  }
  const total = { added: 0, removed: 0, changed: 0 };
  for (const diff of Object.values(changes)) {
    total.added += diff.added.length;
    total.removed += diff.removed.length;
    total.changed += diff.changed.length;
  }
  return { ...base, previous, total, changes };
}

/**
 * Parses the bytes of a `changes.json`.
 * @throws SnapshotIntegrityError (`invalid-json`, `newer-format`, `invalid-schema`) naming `key`.
 */
export function parseChangeLog(bytes: Uint8Array, key: string): ChangeLog {
  return parseDocument(bytes, key, 'change log', changeLogSchema);
}

/**
 * Reads the change log a snapshot's manifest lists, checked against its SHA-256.
 *
 * @returns The log, or `undefined` when the manifest lists none (a snapshot written before change logs).
 * @throws SnapshotIntegrityError when it is missing, damaged, invalid, or of another snapshot.
 */
export async function readChangeLog(
  store: SnapshotStore,
  prefix: string,
  manifest: Manifest,
): Promise<ChangeLog | undefined> {
  const entry = manifest.objects.find((o) => o.kind === CHANGES_KIND);
  if (!entry) return undefined;
  const bytes = await readVerifiedObject(store, prefix, manifest, entry);
  const log = parseChangeLog(bytes, entry.key);
  if (log.snapshotId !== manifest.snapshotId || log.instanceId !== manifest.instance.id) {
    throw new SnapshotIntegrityError(
      'wrong-snapshot',
      entry.key,
      `${CHANGES_FILE} of snapshot ${manifest.snapshotId} describes snapshot ${log.snapshotId} of instance ${log.instanceId}`,
    );
  }
  return log;
}

/**
 * A change log as the diff `connect-vault changes` prints: from its previous snapshot to its own,
 * with only `kinds` when given (then without the instance settings, as a computed diff).
 *
 * @returns The diff, or `undefined` when the log compared nothing (first snapshot, or `unavailable`).
 */
export function changeLogAsDiff(log: ChangeLog, kinds?: readonly string[]): SnapshotDiff | undefined {
  if (!log.previous || log.unavailable !== undefined) return undefined;
  const selected = Object.fromEntries(
    Object.entries(log.changes).filter(([kind]) => (kinds ? kinds.includes(kind) : true)),
  ) as Record<string, KindDiff>;
  return {
    a: { instanceId: log.instanceId, snapshotId: log.previous.snapshotId },
    b: { instanceId: log.instanceId, snapshotId: log.snapshotId },
    kinds: selected,
    identical: isIdentical(selected),
  };
}
