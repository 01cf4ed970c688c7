/**
 * How flows and flow modules are read: Search is the index, Describe the document.
 *
 * SearchContactFlows / SearchContactFlowModules enumerate the resources and give the change signal
 * (every member but `Content`, with `FlowContentSha256` / `FlowModuleContentSha256` standing for the
 * content). The stored document is the documented full read: `Describe…(<id>)` for the published
 * version, and `Describe…(<id>:$SAVED)` for the saved content (the API Reference: "`<id>:$SAVED`
 * returns the saved-but-unpublished content"). Nothing relies on Search returning `Content`, nor on
 * `StatusCondition: SAVED` returning the drafts of published resources (neither is documented).
 *
 * Per resource the index lists:
 * - never published (`Status: SAVED`): one `Describe <id>:$SAVED`, which is the document;
 * - published: `Describe <id>:$SAVED` first. When it answers the published version itself (`Status:
 *   PUBLISHED`, the same content hash as the index), there is no draft and that answer is the
 *   document: one call. Otherwise `Describe <id>` gives the document, and the `:$SAVED` content, where
 *   it differs from the published content, is the draft (`related.savedContent`): two calls.
 *
 * Failing loudly (the backup writes no manifest), naming the resource: an index entry without id,
 * ARN or name; a Describe answer without `Content`; a resource the index lists that Describe does not
 * find (Search and Describe disagree on what exists).
 */
import type { IncrementalItem, KindName, ReadContext, StoredDocument } from '../types.js';
import { CONCURRENCY, notStored } from './describe.js';
import { documentOf, fingerprint, mapUnordered, toPlain } from './read.js';

/** The members flows and modules share, as both Search and Describe return them. */
export interface FlowEntity {
  Id?: string;
  Arn?: string;
  Name?: string;
  Status?: string;
  Content?: string;
}

/** What differs between reading flows and reading modules. */
export interface FlowReadParts<E extends FlowEntity> {
  kind: Extract<KindName, 'flows' | 'flow-modules'>;
  /** "flow", "flow module". */
  label: string;
  /** The Describe operation, for messages: `DescribeContactFlow`. */
  describeOperation: string;
  /** The index: every resource, from paginated Search calls (with or without `Content`). */
  search(ctx: ReadContext): AsyncIterable<E>;
  /**
   * The Describe entity of `id` (`<id>` or `<id>:$SAVED`).
   * @throws the SDK's service errors (ResourceNotFoundException, ContactFlowNotPublishedException…).
   */
  describe(ctx: ReadContext, id: string): Promise<E>;
  /** The content hash member: `FlowContentSha256`, `FlowModuleContentSha256`. */
  hashMember: string;
}

/** True for the error Connect answers when a resource (or the asked version of it) does not exist. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'ResourceNotFoundException' || name === 'ContactFlowNotPublishedException';
}

function identityOf(entity: FlowEntity) {
  return { id: entity.Id, arn: entity.Arn, name: entity.Name };
}

function describedName<E extends FlowEntity>(parts: FlowReadParts<E>, entry: E): string {
  return `${parts.label} "${entry.Name}" (${entry.Id})`;
}

/**
 * The change signal of a flow or module: every member but `Content` (the content hash stands for it)
 * plus a fingerprint of the draft. Undefined when the entity carries no content hash: such a
 * resource is read in full on every run.
 */
export function flowSignal(
  entity: Record<string, unknown>,
  hashMember: string,
  draft: unknown,
): string | undefined {
  if (typeof entity[hashMember] !== 'string') return undefined;
  const { Content: _content, ...members } = entity;
  return fingerprint({ members, draft: draft ?? null });
}

/**
 * The id of an index entry.
 * @throws Error when Search returned the entry without its id, ARN or name.
 */
function indexedId<E extends FlowEntity>(parts: FlowReadParts<E>, entry: E): string {
  if (!entry.Id || !entry.Arn || entry.Name === undefined) {
    const { Id, Arn, Name } = entry;
    throw new Error(
      `Search returned a ${parts.label} without id, ARN or name: ${JSON.stringify({ Id, Arn, Name })}`,
    );
  }
  return entry.Id;
}

/** A Describe answer that must be there, with its content. */
async function describeRequired<E extends FlowEntity>(
  parts: FlowReadParts<E>,
  ctx: ReadContext,
  entry: E,
  id: string,
): Promise<E> {
  let found: E;
  try {
    found = await parts.describe(ctx, id);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new Error(
      `Search and Describe disagree on what exists: Search lists the ${describedName(parts, entry)}, ` +
        `but ${parts.describeOperation} ${id} answered ${(error as Error).name}. Run the backup again; ` +
        'if it persists, the Search index is stale: check the resource in the Connect admin website.',
      { cause: error },
    );
  }
  if (typeof found.Content !== 'string' || found.Content === '') {
    throw new Error(
      `${parts.describeOperation} ${id} returned the ${describedName(parts, entry)} without Content; ` +
        'a backup without it could not restore the resource, so none is written.',
    );
  }
  return found;
}

/**
 * The `:$SAVED` answer of a published resource, or undefined (with a warning) when Connect answers
 * ResourceNotFoundException for it though the index lists the resource: then it is read as having
 * no unpublished changes.
 */
async function describeSaved<E extends FlowEntity>(
  parts: FlowReadParts<E>,
  ctx: ReadContext,
  entry: E,
): Promise<E | undefined> {
  const id = `${entry.Id}:$SAVED`;
  try {
    return await describeRequired(parts, ctx, entry, id);
  } catch (error) {
    if (!isNotFound((error as Error).cause)) throw error;
    ctx.warn({
      kind: parts.kind,
      id: entry.Id,
      message: `${parts.describeOperation} ${id} answered not found: the ${describedName(parts, entry)} is stored without unpublished changes`,
    });
    return undefined;
  }
}

/** The `:$SAVED` answer is the published version itself: no draft. */
function isPublishedItself<E extends FlowEntity>(parts: FlowReadParts<E>, saved: E, entry: E): boolean {
  const hashOf = (e: E) => (e as Record<string, unknown>)[parts.hashMember];
  return saved.Status === 'PUBLISHED' && hashOf(saved) !== undefined && hashOf(saved) === hashOf(entry);
}

/** The stored document of one indexed resource (one or two Describe calls, see the module comment). */
async function readOne<E extends FlowEntity>(
  parts: FlowReadParts<E>,
  ctx: ReadContext,
  entry: E,
  known?: { saved: E | undefined },
): Promise<StoredDocument> {
  const id = indexedId(parts, entry);
  if (entry.Status === 'SAVED') {
    const saved = await describeRequired(parts, ctx, entry, `${id}:$SAVED`);
    return documentOf(parts.kind, saved, identityOf(saved));
  }
  const saved = known ? known.saved : await describeSaved(parts, ctx, entry);
  if (saved && isPublishedItself(parts, saved, entry))
    return documentOf(parts.kind, saved, identityOf(saved));
  const published = await describeRequired(parts, ctx, entry, id);
  const draft = saved && saved.Content !== published.Content ? saved.Content : undefined;
  return documentOf(
    parts.kind,
    published,
    identityOf(published),
    draft === undefined ? undefined : { savedContent: draft },
  );
}

/** Reads every flow or module in full: the index, then Describe per resource. */
export function readFlows<E extends FlowEntity>(
  parts: FlowReadParts<E>,
  ctx: ReadContext,
): AsyncIterable<StoredDocument> {
  return mapUnordered(
    notStored(ctx, parts.search(ctx), (e) => e.Id),
    CONCURRENCY,
    (entry) => readOne(parts, ctx, entry),
  );
}

/**
 * The incremental read: a never-published resource whose index signal equals the previous one is
 * unchanged without a call; a published one costs its `:$SAVED` Describe every run (no documented
 * signal says a draft was saved), and a second Describe only when it changed.
 */
export function readChangedFlows<E extends FlowEntity>(
  parts: FlowReadParts<E>,
  ctx: ReadContext,
  previous: ReadonlyMap<string, string>,
): AsyncIterable<IncrementalItem> {
  return mapUnordered(
    notStored(ctx, parts.search(ctx), (e) => e.Id),
    CONCURRENCY,
    async (entry): Promise<IncrementalItem> => {
      const before = entry.Id ? previous.get(entry.Id) : undefined;
      const plain = toPlain(entry);
      if (entry.Status === 'SAVED') {
        if (before !== undefined && before === flowSignal(plain, parts.hashMember, undefined))
          return { unchanged: entry.Id as string };
        return { document: await readOne(parts, ctx, entry) };
      }
      const saved = await describeSaved(parts, ctx, entry);
      if (saved && isPublishedItself(parts, saved, entry)) {
        const document = documentOf(parts.kind, saved, identityOf(saved));
        const now = flowSignal(document.resource, parts.hashMember, undefined);
        return before !== undefined && before === now ? { unchanged: document.id } : { document };
      }
      const savedHash = saved ? (saved as Record<string, unknown>)[parts.hashMember] : undefined;
      const indexHash = plain[parts.hashMember];
      // A draft is known without the published content only when both hashes say they differ.
      if (
        saved &&
        typeof savedHash === 'string' &&
        typeof indexHash === 'string' &&
        savedHash !== indexHash
      ) {
        const now = flowSignal(plain, parts.hashMember, saved.Content);
        if (before !== undefined && before === now) return { unchanged: entry.Id as string };
      }
      return { document: await readOne(parts, ctx, entry, { saved }) };
    },
  );
}
