/** Small building blocks the kinds share. */
import { createHash } from 'node:crypto';
import type { KindName, StoredDocument } from '../types.js';

/**
 * The entity as plain JSON: `Date`s become ISO-8601 strings and `undefined` members disappear,
 * so a stored document equals the API's answer once serialised.
 */
export function toPlain<T>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** Builds a stored document, failing loudly on an entity without its identity. */
export function documentOf(
  kind: KindName,
  entity: object,
  identity: { id: string | undefined; arn: string | undefined; name: string | undefined },
  related?: Record<string, unknown>,
): StoredDocument {
  const { id, arn, name } = identity;
  if (!id || !arn || name === undefined) {
    throw new Error(
      `Connect returned a ${kind} entity without id, ARN or name: ${JSON.stringify({ id, arn, name })}`,
    );
  }
  return { kind, id, arn, name, resource: toPlain(entity), ...(related ? { related } : {}) };
}

/** Gathers a (small) stream into an array: association lists, permissions. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Flattens the pages of an SDK paginator into their items. */
export async function* itemsOf<P, I>(
  pages: AsyncIterable<P>,
  pick: (page: P) => I[] | undefined,
): AsyncIterable<I> {
  for await (const page of pages) yield* pick(page) ?? [];
}

/**
 * Maps items to results with bounded concurrency, yielding results in input order as soon as they
 * are ready. The per-operation rate limiters decide the real pace; the window only bounds memory.
 */
export async function* mapConcurrent<I, O>(
  items: AsyncIterable<I>,
  concurrency: number,
  map: (item: I) => Promise<O>,
): AsyncIterable<O> {
  const window: Array<Promise<O>> = [];
  for await (const item of items) {
    const pending = map(item);
    pending.catch(() => undefined); // handled when awaited below; avoids an unhandled rejection meanwhile
    window.push(pending);
    if (window.length >= concurrency) yield await (window.shift() as Promise<O>);
  }
  while (window.length) yield await (window.shift() as Promise<O>);
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A short fingerprint of a JSON-like value (16 hex characters of the SHA-256 of its key-sorted
 * JSON), for change signals: equal values give equal fingerprints whatever their key order.
 * `Date`s must already be ISO strings (see {@link toPlain}).
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(sortedJson(value)).digest('hex').slice(0, 16);
}

/**
 * Maps items to results with at most `concurrency` in flight, yielding each result as soon as it
 * is ready, in completion order. Unlike {@link mapConcurrent}, one slow call (a throttled call
 * waiting for its retry) holds back no other: the window refills as each call completes, so the
 * per-operation rate limiters stay busy. A failure is thrown once the calls in flight have settled.
 */
export async function* mapUnordered<I, O>(
  items: AsyncIterable<I>,
  concurrency: number,
  map: (item: I) => Promise<O>,
): AsyncIterable<O> {
  const iterator = items[Symbol.asyncIterator]();
  const running = new Map<number, Promise<{ id: number; result: PromiseSettledResult<O> }>>();
  let next = 0;
  let exhausted = false;
  const start = async (): Promise<void> => {
    const step = await iterator.next();
    if (step.done) {
      exhausted = true;
      return;
    }
    const id = next++;
    running.set(
      id,
      map(step.value).then(
        (value) => ({ id, result: { status: 'fulfilled', value } as const }),
        (reason: unknown) => ({ id, result: { status: 'rejected', reason } as const }),
      ),
    );
  };
  try {
    while (!exhausted && running.size < concurrency) await start();
    while (running.size > 0) {
      const { id, result } = await Promise.race(running.values());
      running.delete(id);
      if (result.status === 'rejected') throw result.reason;
      yield result.value;
      while (!exhausted && running.size < concurrency) await start();
    }
  } finally {
    // Stop reading items; let the calls in flight settle so none fails unobserved.
    if (!exhausted) await iterator.return?.();
    await Promise.allSettled(running.values());
  }
}
