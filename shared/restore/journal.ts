/**
 * The journal of a restore: which resources it created in the target, written as it goes, and which
 * of them it finished (every phase written: a flow's real content after its placeholder, a queue's
 * quick-connect links after the queue). A restore that stops part-way (its deadline, Ctrl-C, a lost
 * connection, a crash) leaves resources it created but did not finish; the next restore into the same
 * target reads every journal there and finishes those in any mode, create-missing included, instead
 * of skipping them as "exists in the target and differs".
 *
 * Layout, beside the restore's report: `<prefix>/<target>/restores/<restoreId>/journal/<n>.json`,
 * each part written once (conditional write) and holding the events since the previous part:
 * `{ formatVersion: 1, restoreId, created: [{ kind, sourceId, targetId }], finished: [targetId] }`.
 * Parts are written at most every {@link JOURNAL_FLUSH_MS} while the restore creates resources, and
 * once more when it ends.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { LoggerPort } from '#shared/ports.js';
import { canonicalJson, FORMAT_VERSION, restoreJournalRoot, restoresRoot } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import type { PlanEntry } from './report.js';

/** Longest wait, in milliseconds, between a create and the journal part that records it. */
export const JOURNAL_FLUSH_MS = 2_000;

const journalPartSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  restoreId: z.string().min(1),
  created: z.array(z.object({ kind: z.string(), sourceId: z.string(), targetId: z.string().min(1) })),
  finished: z.array(z.string().min(1)),
});

/** One part of a journal. */
export type JournalPart = z.infer<typeof journalPartSchema>;

/** A resource a restore created. */
export interface JournalCreate {
  kind: string;
  sourceId: string;
  targetId: string;
}

/**
 * The journal of one restore being written. `created` buffers an event; parts go to the store at
 * most every {@link JOURNAL_FLUSH_MS} and on `close`. A part that cannot be written is logged and
 * kept for the next part: the journal is what makes a re-run finish half-created resources, but a
 * restore never fails for it.
 */
export class RestoreJournal {
  readonly #store: SnapshotStore;
  readonly #root: string;
  readonly #restoreId: string;
  readonly #logger: LoggerPort;
  #sequence = 0;
  #created: JournalCreate[] = [];
  #finished: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: {
    store: SnapshotStore;
    prefix: string;
    targetInstanceId: string;
    restoreId: string;
    logger: LoggerPort;
  }) {
    this.#store = options.store;
    this.#root = restoreJournalRoot(options.prefix, options.targetInstanceId, options.restoreId);
    this.#restoreId = options.restoreId;
    this.#logger = options.logger;
  }

  /** Records a resource this restore created (its outcome not known yet). */
  created(event: JournalCreate): void {
    this.#created.push(event);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, JOURNAL_FLUSH_MS);
  }

  /**
   * Ends the journal: records as finished every entry that now equals the snapshot (created,
   * updated or unchanged, with a target id), and writes the last part.
   */
  async close(entries: readonly PlanEntry[]): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const entry of entries)
      if (
        entry.targetId &&
        (entry.outcome === 'created' || entry.outcome === 'updated' || entry.outcome === 'unchanged')
      )
        this.#finished.push(entry.targetId);
    await this.#flush();
  }

  #flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#created.length && !this.#finished.length) return;
      const part: JournalPart = {
        formatVersion: FORMAT_VERSION,
        restoreId: this.#restoreId,
        created: this.#created,
        finished: this.#finished,
      };
      const key = `${this.#root}${String(this.#sequence).padStart(6, '0')}.json`;
      try {
        if (!(await this.#store.putIfAbsent(key, canonicalJson(part), 'application/json')))
          throw new Error(`${key} already exists`);
        this.#sequence += 1;
        this.#created = this.#created.slice(part.created.length);
        this.#finished = this.#finished.slice(part.finished.length);
      } catch (error) {
        this.#logger.warn('restore journal part not written (kept for the next part)', {
          key,
          error: (error as Error).message,
        });
      }
    });
    return this.#writing;
  }
}

/**
 * The target ids of resources that restores into `targetInstanceId` created and never finished:
 * every journal under `<prefix>/<target>/restores/` read, created minus finished (a later restore
 * that finished a resource records it as finished in its own journal).
 *
 * @throws Whatever the store throws; a part that is not valid JSON of the journal's schema is
 *   logged and passed over (it can only make a re-run skip what it would have finished).
 */
export async function halfCreatedResources(
  store: SnapshotStore,
  prefix: string,
  targetInstanceId: string,
  logger: LoggerPort,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const created = new Set<string>();
  const finished = new Set<string>();
  const root = restoresRoot(prefix, targetInstanceId);
  for await (const key of store.list(root, { abortSignal: signal })) {
    if (!/\/journal\/\d+\.json$/.test(key)) continue;
    const bytes = await store.get(key, { abortSignal: signal });
    let part: JournalPart;
    try {
      part = journalPartSchema.parse(JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())));
    } catch (error) {
      logger.warn('restore journal part unreadable, passed over', { key, error: (error as Error).message });
      continue;
    }
    for (const c of part.created) created.add(c.targetId);
    for (const id of part.finished) finished.add(id);
  }
  for (const id of finished) created.delete(id);
  return created;
}
