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
import type { KindRestore, ResourceState } from './types.js';

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

const CONTENT_PHASES = { Published: 'content', Saved: 'content', Archived: 'content' } as const;

export const flowsRestore: KindRestore = {
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
  async update(ctx, phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, ContactFlowId: target.id };
    if (phase === 'main') {
      if (anyChanged(changed, 'Name', 'Description')) {
        await ctx.connect.send(
          new UpdateContactFlowMetadataCommand({
            ...base,
            ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
            ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
          }),
          sendOptions(ctx),
        );
      }
      if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
      return;
    }
    // Publishing drops any saved draft, so a wanted draft is saved again after it.
    const publish = desired.Published !== undefined && changed.has('Published');
    const dropDraft =
      !publish && changed.has('Saved') && desired.Saved === undefined && desired.Published !== undefined;
    if (publish || dropDraft) {
      await ctx.connect.send(
        new UpdateContactFlowContentCommand({ ...base, Content: serializedContent(desired.Published) }),
        sendOptions(ctx),
      );
    }
    if (desired.Saved !== undefined && (publish || changed.has('Saved'))) {
      await ctx.connect.send(
        new UpdateContactFlowContentCommand({
          ...base,
          ContactFlowId: `${target.id}:$SAVED`,
          Content: serializedContent(desired.Saved),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Archived')) {
      await ctx.connect.send(
        new UpdateContactFlowMetadataCommand({
          ...base,
          ContactFlowState: desired.Archived === true ? 'ARCHIVED' : 'ACTIVE',
        }),
        sendOptions(ctx),
      );
    }
  },
};

export const flowModulesRestore: KindRestore = {
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
  async update(ctx, phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, ContactFlowModuleId: target.id };
    if (phase === 'main') {
      if (anyChanged(changed, 'Name', 'Description')) {
        await ctx.connect.send(
          new UpdateContactFlowModuleMetadataCommand({
            ...base,
            ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
            ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
          }),
          sendOptions(ctx),
        );
      }
      if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
      return;
    }
    const settings = desired.Settings === undefined ? {} : { Settings: serializedContent(desired.Settings) };
    const publish = desired.Published !== undefined && anyChanged(changed, 'Published', 'Settings');
    const dropDraft =
      !publish && changed.has('Saved') && desired.Saved === undefined && desired.Published !== undefined;
    if (publish || dropDraft) {
      await ctx.connect.send(
        new UpdateContactFlowModuleContentCommand({
          ...base,
          Content: serializedContent(desired.Published),
          ...settings,
        }),
        sendOptions(ctx),
      );
    }
    if (desired.Saved !== undefined && (publish || changed.has('Saved'))) {
      await ctx.connect.send(
        new UpdateContactFlowModuleContentCommand({
          ...base,
          ContactFlowModuleId: `${target.id}:$SAVED`,
          Content: serializedContent(desired.Saved),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Archived')) {
      await ctx.connect.send(
        new UpdateContactFlowModuleMetadataCommand({
          ...base,
          State: desired.Archived === true ? 'ARCHIVED' : 'ACTIVE',
        }),
        sendOptions(ctx),
      );
    }
  },
};
