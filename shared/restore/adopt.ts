/**
 * Adopting what a create made although its answer was lost. The SDK retries a call whose
 * connection dropped (`ECONNRESET` is transient to it), whether or not Connect had already applied
 * it; a retried create of a resource Connect did make is then answered `DuplicateResourceException`
 * ("A resource with the specified name already exists"), which the SDK does not retry. Restore
 * recognises that case (a duplicate-name answer after more than one attempt), finds the resource by
 * name in the target and carries on with it, with a warning on the entry.
 *
 * The plan read the target before applying and found no resource of that name, so one that has it
 * now was made by the lost attempt, or by someone else in the moments between; the warning says so.
 * A duplicate-name answer on the first attempt is a real conflict and stays a failure.
 */
import pRetry from 'p-retry';
import type { ReadContext, StoredDocument } from '#shared/kinds/index.js';
import { kindNamed } from '#shared/kinds/index.js';
import type { WorkItem } from './plan.js';
import { type PropagationRetryOptions, propagationBackoff } from './write-retry.js';

/**
 * True when `error` is Connect's duplicate-name answer to a create the SDK sent more than once
 * (`$metadata.attempts` > 1): an earlier attempt may have been applied with its answer lost.
 * Classified by `name` and `$metadata`, never by message text.
 */
export function isRetriedDuplicate(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { attempts?: unknown } } | undefined;
  const attempts = e?.$metadata?.attempts;
  return e?.name === 'DuplicateResourceException' && typeof attempts === 'number' && attempts > 1;
}

/**
 * Looks up, by name, the target resource a lost create of `item` made: reads the item's kind in the
 * target through the kind's own `read` (the operations of its `readOperations`), stopping at the
 * first resource of the name the create gave that the kind does not find incompatible (flows: the
 * same type).
 *
 * Connect's Search indexes lag behind changes (eventual consistency: seconds, "in some cases …
 * several minutes"), and a lost create was applied moments ago, so a lookup that finds nothing is
 * repeated with the backoff of the restore's propagation retries (`options`, by default
 * `DEFAULT_PROPAGATION_RETRY` in write-retry.ts: from 250 ms doubling to 10 s apart, for up to 3 minutes).
 *
 * A Describe answering `ResourceNotFoundException` for what its List just showed is waited for the
 * same way.
 *
 * @returns The resource, or undefined when the target still has none of that name once the time is
 *   up (then the create stays a failure, and a later restore finds the resource).
 * @throws the read's service errors (once the SDK's retries are exhausted), and the abort of
 *   `ctx.signal`.
 */
export async function findLostCreate(
  item: WorkItem,
  ctx: ReadContext,
  options: Partial<PropagationRetryOptions> = {},
): Promise<StoredDocument | undefined> {
  const notYet = new Error(`the ${item.kind} "${item.entry.name}" is not in the target's Search results yet`);
  try {
    return await pRetry(
      async () => {
        for await (const document of kindNamed(item.kind).read(ctx)) {
          if (document.name === item.entry.name && !item.spec.incompatible?.(item.source, document))
            return document;
        }
        throw notYet;
      },
      {
        ...propagationBackoff(options, ctx.signal),
        // A List may show the resource before its Describe does (ResourceNotFoundException).
        shouldRetry: ({ error }) => error === notYet || error.name === 'ResourceNotFoundException',
      },
    );
  } catch (error) {
    if (error === notYet) return undefined;
    throw error;
  }
}
