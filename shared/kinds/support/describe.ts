/**
 * The read part shared by kinds whose Search result is not the full object (connect-api-facts.md
 * §5), read with List, then Describe per item plus the extra list calls that hold the rest (users,
 * routing profiles, security profiles, queues, the hierarchy structure), and their change signals:
 * an incremental backup describes again only those whose signal moved since the previous snapshot.
 */

import type { IncrementalItem, ReadContext, StoredDocument } from '../types.js';
import { fingerprint, mapUnordered } from './read.js';

/** Describe calls in flight per kind; the per-operation rate limiters set the real pace. */
export const CONCURRENCY = 16;
/** Items per List page (the List operations' maximum). */
export const LIST_PAGE = 1000;

/** Options for every read: the deadline signal. */
export function opts(ctx: ReadContext) {
  return { abortSignal: ctx.signal };
}

/** The items an earlier invocation of a resumed backup has not stored yet. */
export async function* notStored<T>(
  ctx: ReadContext,
  items: AsyncIterable<T>,
  idOf: (item: T) => string | undefined,
): AsyncIterable<T> {
  for await (const item of items) if (!ctx.skip?.(idOf(item) ?? '')) yield item;
}

/** A `LastModifiedTime` as a change-signal part: ISO 8601, as stored documents hold it. */
export function timePart(time: unknown): string {
  return time instanceof Date ? time.toISOString() : String(time ?? '');
}

/** Tags as a change-signal part; no tags and `{}` are the same. */
export function tagsPart(tags: unknown): string {
  return fingerprint(tags ?? {});
}

/**
 * Runs `first` while the caller starts on something else, and hands its result to whoever awaits
 * `value()`; a failure is kept until then (never an unhandled rejection).
 */
export function startEarly<T>(first: () => Promise<T>): { value(): Promise<T> } {
  const pending = first();
  pending.catch(() => undefined);
  return { value: () => pending };
}

/**
 * The incremental read of a List + Describe kind: the List summaries (with `LastModifiedTime`) and
 * one bulk Search (with what List lacks) give each resource's current signal; resources whose
 * signal equals the previous snapshot's are unchanged, the others are described.
 */
export function describeChanged<S>(
  ctx: ReadContext,
  previous: ReadonlyMap<string, string>,
  summaries: AsyncIterable<S>,
  idOf: (summary: S) => string | undefined,
  signalOf: (summary: S) => Promise<string>,
  describe: (id: string) => Promise<StoredDocument>,
): AsyncIterable<IncrementalItem> {
  return mapUnordered(notStored(ctx, summaries, idOf), CONCURRENCY, async (summary) => {
    const id = idOf(summary) ?? '';
    const before = previous.get(id);
    if (before !== undefined && before === (await signalOf(summary))) return { unchanged: id };
    return { document: await describe(id) };
  });
}

/**
 * Starts reading the tags of every resource from one bulk Search (users: 500 a call), for the
 * change signals of List + Describe kinds; the map (id → tags) is ready when `value()` resolves.
 */
export function tagsById(found: AsyncIterable<{ Id?: string; Tags?: unknown }>): {
  value(): Promise<Map<string, unknown>>;
} {
  return startEarly(async () => {
    const byId = new Map<string, unknown>();
    for await (const item of found) if (item.Id) byId.set(item.Id, item.Tags);
    return byId;
  });
}
