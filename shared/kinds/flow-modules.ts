/**
 * Flow modules, read like flows (`support/flow-read.ts`): SearchContactFlowModules is the index and
 * the change signal (FlowModuleContentSha256 for the content; modules have no timestamp), each
 * document DescribeContactFlowModule `<id>`, and `<id>:$SAVED` for unpublished changes (in
 * `related.savedContent`). Restored in two steps (`support/flow.ts`): a minimal module
 * that ends at once in the main phase, the real content and settings published in the content
 * phase, last.
 */
import {
  type ContactFlowModule,
  CreateContactFlowModuleCommand,
  DeleteContactFlowModuleCommand,
  DescribeContactFlowModuleCommand,
  paginateSearchContactFlowModules,
  UpdateContactFlowModuleContentCommand,
  UpdateContactFlowModuleMetadataCommand,
} from '@aws-sdk/client-connect';
import {
  CONTENT_PHASES,
  contentParts,
  ignorePublishedWhenNotWanted,
  isPlaceholder,
  parsedContent,
  placeholderContent,
  serializedContent,
  updateFlowOrModule,
} from './support/flow.js';
import { type FlowReadParts, flowSignal, readChangedFlows, readFlows } from './support/flow-read.js';
import { itemsOf } from './support/read.js';
import { deletion } from './support/removal.js';
import { entityOf, sendOptions, tagsMember, text, userTags } from './support/restore.js';
import { PAGE } from './support/search.js';
import type { KindRestore, ReadContext, ResourceKind } from './types.js';

const reads: FlowReadParts<ContactFlowModule> = {
  kind: 'flow-modules',
  label: 'flow module',
  describeOperation: 'DescribeContactFlowModule',
  hashMember: 'FlowModuleContentSha256',
  search: (ctx: ReadContext) =>
    itemsOf(
      paginateSearchContactFlowModules(
        { client: ctx.connect, pageSize: PAGE },
        { InstanceId: ctx.instanceId, MaxResults: PAGE },
      ),
      (page) => page.ContactFlowModules,
    ),
  async describe(ctx, ContactFlowModuleId) {
    const { ContactFlowModule: module } = await ctx.connect.send(
      new DescribeContactFlowModuleCommand({ InstanceId: ctx.instanceId, ContactFlowModuleId }),
      { abortSignal: ctx.signal },
    );
    return module ?? {};
  },
};

const flowModulesRestore: KindRestore = {
  remove: deletion('DeleteContactFlowModule', (ctx, target) =>
    ctx.connect.send(
      new DeleteContactFlowModuleCommand({ InstanceId: ctx.instanceId, ContactFlowModuleId: target.id }),
      sendOptions(ctx),
    ),
  ),
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

export const flowModules: ResourceKind<'flow-modules'> = {
  name: 'flow-modules',
  label: 'flow module',
  readOperations: ['SearchContactFlowModules', 'DescribeContactFlowModule'],
  read: (ctx) => readFlows(reads, ctx),
  changes: {
    signal:
      'SearchContactFlowModules (every member but Content; FlowModuleContentSha256 for the content), and DescribeContactFlowModule <id>:$SAVED of each published module for its unpublished changes',
    notCovered: [],
    signalOf: (document) =>
      flowSignal(document.resource, reads.hashMember, document.related?.savedContent) ?? '',
    readChanged: (ctx, previous) => readChangedFlows(reads, ctx, previous),
  },
  restore: flowModulesRestore,
};
