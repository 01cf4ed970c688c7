/**
 * What flows and flow modules share in restore (their reads are in `flow-read.ts`). A published
 * flow or module with unpublished changes holds the draft in `related.savedContent`.
 *
 * Restoring, in two steps that break the reference cycles
 * (connect-api-facts.md §9): in the main phase a missing flow is created as a SAVED placeholder
 * (CreateContactFlow with `Status: SAVED` skips validation) and a missing module with a minimal
 * module that ends at once (CreateContactFlowModule has no Status: it always publishes). Everything
 * else is then created against those ids. In the content phase, last, the real content, with every
 * id and ARN already rewritten, is published (UpdateContactFlowContent /
 * UpdateContactFlowModuleContent), unpublished changes are saved with `:$SAVED`, and archived ones
 * are archived.
 *
 * State parts: `Published` (the published content, parsed), `Saved` (unpublished content: the
 * draft over a published flow, or the content of a flow never published), `Archived`.
 */

import type {
  KindRestore,
  ResourceState,
  RestorePhase,
  StoredDocument,
  TargetResource,
  WriteContext,
} from '../types.js';
import { anyChanged, text, updateTags } from './restore.js';

const PLACEHOLDER_ACTION = 'connect-vault-placeholder';

/** Flow content as a value restore can rewrite and compare: parsed JSON, or the text when it is not JSON. */
export function parsedContent(content: unknown): unknown {
  if (typeof content !== 'string') return undefined;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

/** The text Connect takes back. */
export function serializedContent(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** Content that holds a place until the real content is written: it only ends the contact or module. */
export function placeholderContent(
  name: string,
  endAction: 'DisconnectParticipant' | 'EndFlowModuleExecution',
) {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: PLACEHOLDER_ACTION,
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: { [PLACEHOLDER_ACTION]: { position: { x: 160, y: 40 } } },
      name,
      description: 'Placeholder written by connect-vault restore, replaced by the snapshot content.',
    },
    Actions: [{ Identifier: PLACEHOLDER_ACTION, Type: endAction, Parameters: {}, Transitions: {} }],
  });
}

/** The content parts of a flow or module document. */
export function contentParts(
  document: StoredDocument,
  status: string | undefined,
  content: unknown,
): ResourceState {
  const draft = document.related?.savedContent;
  return status === 'SAVED'
    ? { Saved: parsedContent(content) }
    : { Published: parsedContent(content), Saved: parsedContent(draft) };
}

/**
 * True when the target's flow or module is still the placeholder an interrupted restore created:
 * the next restore fills it in, in any mode.
 */
export function isPlaceholder(current: ResourceState): boolean {
  const start = (content: unknown) =>
    content !== null && typeof content === 'object' && (content as { StartAction?: unknown }).StartAction;
  const contents = [current.Published, current.Saved].filter((c) => c !== undefined);
  return contents.length > 0 && contents.every((c) => start(c) === PLACEHOLDER_ACTION);
}

/** A snapshot flow never published leaves what the target has published alone. */
export function ignorePublishedWhenNotWanted(current: ResourceState, desired: ResourceState): ResourceState {
  if (desired.Published !== undefined) return current;
  const { Published: _ignored, ...rest } = current;
  return rest;
}

/**
 * How writing a flow and writing a module differ: their commands, the names of their id member
 * (`ContactFlowId`, `ContactFlowModuleId`) and state member (`ContactFlowState`, `State`), and a
 * module's settings, published with its content. Each function sends its command.
 */
export interface FlowOrModuleWrites {
  /** The changed parts that publish the content again: `Published`, and a module's `Settings`. */
  publishedBy: readonly string[];
  /** Update…Content of `id` (`<id>:$SAVED`: the draft); `publishing` unless it saves the draft. */
  content(id: string, content: string, publishing: boolean): Promise<unknown>;
  /** Update…Metadata with a new name or description. */
  metadata(members: { Name?: string; Description?: string }): Promise<unknown>;
  /** Update…Metadata that archives or unarchives. */
  state(state: 'ARCHIVED' | 'ACTIVE'): Promise<unknown>;
}

/**
 * `update` of a flow or a module. The main phase writes the name, description and tags; the content
 * phase publishes the content, saves the draft (`:$SAVED`) and archives or unarchives.
 */
export async function updateFlowOrModule(
  ctx: WriteContext,
  phase: RestorePhase,
  target: TargetResource,
  { current, desired, changed }: Parameters<KindRestore['update']>[3],
  writes: FlowOrModuleWrites,
): Promise<void> {
  if (phase === 'main') {
    if (anyChanged(changed, 'Name', 'Description')) {
      await writes.metadata({
        ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
        ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
      });
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
    return;
  }
  // Publishing drops any saved draft, so a wanted draft is saved again after it.
  const publish = desired.Published !== undefined && anyChanged(changed, ...writes.publishedBy);
  const dropDraft =
    !publish && changed.has('Saved') && desired.Saved === undefined && desired.Published !== undefined;
  if (publish || dropDraft) await writes.content(target.id, serializedContent(desired.Published), true);
  if (desired.Saved !== undefined && (publish || changed.has('Saved')))
    await writes.content(`${target.id}:$SAVED`, serializedContent(desired.Saved), false);
  if (changed.has('Archived')) await writes.state(desired.Archived === true ? 'ARCHIVED' : 'ACTIVE');
}

/** The parts written in the content phase, last. */
export const CONTENT_PHASES = { Published: 'content', Saved: 'content', Archived: 'content' } as const;
