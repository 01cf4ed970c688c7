/**
 * Restoring flows and flow modules, in two steps that break the reference cycles
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
import {
  type ContactFlow,
  type ContactFlowModule,
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowMetadataCommand,
  UpdateContactFlowModuleContentCommand,
  UpdateContactFlowModuleMetadataCommand,
} from '@aws-sdk/client-connect';
import type { StoredDocument } from '../types.js';
import { anyChanged, entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support.js';
import type { KindRestore, ResourceState, RestorePhase, TargetResource, WriteContext } from './types.js';

const PLACEHOLDER_ACTION = 'connect-vault-placeholder';

/** Flow content as a value restore can rewrite and compare: parsed JSON, or the text when it is not JSON. */
function parsedContent(content: unknown): unknown {
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
function contentParts(document: StoredDocument, status: string | undefined, content: unknown): ResourceState {
  const draft = document.related?.savedContent;
  return status === 'SAVED'
    ? { Saved: parsedContent(content) }
    : { Published: parsedContent(content), Saved: parsedContent(draft) };
}

/**
 * True when the target's flow or module is still the placeholder an interrupted restore created:
 * the next restore fills it in, in any mode.
 */
function isPlaceholder(current: ResourceState): boolean {
  const start = (content: unknown) =>
    content !== null && typeof content === 'object' && (content as { StartAction?: unknown }).StartAction;
  const contents = [current.Published, current.Saved].filter((c) => c !== undefined);
  return contents.length > 0 && contents.every((c) => start(c) === PLACEHOLDER_ACTION);
}

/** A snapshot flow never published leaves what the target has published alone. */
function ignorePublishedWhenNotWanted(current: ResourceState, desired: ResourceState): ResourceState {
  if (desired.Published !== undefined) return current;
  const { Published: _ignored, ...rest } = current;
  return rest;
}

/**
 * How writing a flow and writing a module differ: their commands, the names of their id member
 * (`ContactFlowId`, `ContactFlowModuleId`) and state member (`ContactFlowState`, `State`), and a
 * module's settings, published with its content. Each function sends its command.
 */
interface FlowOrModuleWrites {
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
async function updateFlowOrModule(
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

const CONTENT_PHASES = { Published: 'content', Saved: 'content', Archived: 'content' } as const;

export const flowsRestore: KindRestore = {
  usesIntegrations: true,
  writeOperations: [
    'CreateContactFlow',
    'UpdateContactFlowContent',
    'UpdateContactFlowMetadata',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  phases: CONTENT_PHASES,
  state(document) {
    const flow = entityOf<ContactFlow>(document);
    return {
      Name: flow.Name,
      Type: flow.Type,
      Description: flow.Description,
      Tags: userTags(flow.Tags),
      ...contentParts(document, flow.Status, flow.Content),
      Archived: flow.State === 'ARCHIVED' ? true : undefined,
    };
  },
  incompatible(source, target) {
    const want = entityOf<ContactFlow>(source).Type;
    const have = entityOf<ContactFlow>(target).Type;
    return want === have
      ? undefined
      : `the target's flow "${target.name}" is a ${have} flow, the snapshot's a ${want} flow (flows match by name and type; names are unique per instance)`;
  },
  comparable: ignorePublishedWhenNotWanted,
  isBlank: isPlaceholder,
  async create(ctx, desired) {
    const name = text(desired, 'Name') ?? '';
    const created = await ctx.connect.send(
      new CreateContactFlowCommand({
        InstanceId: ctx.instanceId,
        Name: name,
        Type: desired.Type as ContactFlow['Type'],
        Description: text(desired, 'Description'),
        Status: 'SAVED',
        Content: placeholderContent(name, 'DisconnectParticipant'),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.ContactFlowId || !created.ContactFlowArn)
      throw new Error('CreateContactFlow returned no id');
    return { id: created.ContactFlowId, arn: created.ContactFlowArn };
  },
  async update(ctx, phase, target, change) {
    const base = { InstanceId: ctx.instanceId, ContactFlowId: target.id };
    await updateFlowOrModule(ctx, phase, target, change, {
      publishedBy: ['Published'],
      content: (ContactFlowId, Content) =>
        ctx.connect.send(
          new UpdateContactFlowContentCommand({ ...base, ContactFlowId, Content }),
          sendOptions(ctx),
        ),
      metadata: (members) =>
        ctx.connect.send(new UpdateContactFlowMetadataCommand({ ...base, ...members }), sendOptions(ctx)),
      state: (ContactFlowState) =>
        ctx.connect.send(
          new UpdateContactFlowMetadataCommand({ ...base, ContactFlowState }),
          sendOptions(ctx),
        ),
    });
  },
};

export const flowModulesRestore: KindRestore = {
  usesIntegrations: true,
  writeOperations: [
    'CreateContactFlowModule',
    'UpdateContactFlowModuleContent',
    'UpdateContactFlowModuleMetadata',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  phases: { ...CONTENT_PHASES, Settings: 'content' },
  state(document) {
    const module = entityOf<ContactFlowModule>(document);
    return {
      Name: module.Name,
      Description: module.Description,
      ExternalInvocationConfiguration: module.ExternalInvocationConfiguration,
      Tags: userTags(module.Tags),
      ...contentParts(document, module.Status, module.Content),
      Settings: parsedContent(module.Settings),
      Archived: module.State === 'ARCHIVED' ? true : undefined,
    };
  },
  comparable: ignorePublishedWhenNotWanted,
  isBlank: isPlaceholder,
  cannotUpdate(changed) {
    return changed.includes('ExternalInvocationConfiguration')
      ? "a module's external invocation setting is only set when it is created"
      : undefined;
  },
  async create(ctx, desired) {
    const name = text(desired, 'Name') ?? '';
    const created = await ctx.connect.send(
      new CreateContactFlowModuleCommand({
        InstanceId: ctx.instanceId,
        Name: name,
        Description: text(desired, 'Description'),
        Content: placeholderContent(name, 'EndFlowModuleExecution'),
        ...(desired.ExternalInvocationConfiguration
          ? {
              ExternalInvocationConfiguration:
                desired.ExternalInvocationConfiguration as ContactFlowModule['ExternalInvocationConfiguration'],
            }
          : {}),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.Id || !created.Arn) throw new Error('CreateContactFlowModule returned no id');
    return { id: created.Id, arn: created.Arn };
  },
  async update(ctx, phase, target, change) {
    const base = { InstanceId: ctx.instanceId, ContactFlowModuleId: target.id };
    const { Settings } = change.desired;
    const settings = Settings === undefined ? {} : { Settings: serializedContent(Settings) };
    await updateFlowOrModule(ctx, phase, target, change, {
      publishedBy: ['Published', 'Settings'],
      content: (ContactFlowModuleId, Content, publishing) =>
        ctx.connect.send(
          new UpdateContactFlowModuleContentCommand({
            ...base,
            ContactFlowModuleId,
            Content,
            ...(publishing ? settings : {}),
          }),
          sendOptions(ctx),
        ),
      metadata: (members) =>
        ctx.connect.send(
          new UpdateContactFlowModuleMetadataCommand({ ...base, ...members }),
          sendOptions(ctx),
        ),
      state: (State) =>
        ctx.connect.send(new UpdateContactFlowModuleMetadataCommand({ ...base, State }), sendOptions(ctx)),
    });
  },
};
