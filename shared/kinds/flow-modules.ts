/**
 * Flow modules, read with Search like flows (100 modules per call; the SAVED versions from a second
 * Search go in `related.savedContent`). Restored in two steps (`support/flow.ts`): a minimal module
 * that ends at once in the main phase, the real content and settings published in the content
 * phase, last.
 */
import {
  type ContactFlowModule,
  CreateContactFlowModuleCommand,
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
  savedVersions,
  serializedContent,
  updateFlowOrModule,
} from './support/flow.js';
import { documentOf, itemsOf } from './support/read.js';
import { entityOf, sendOptions, tagsMember, text, userTags } from './support/restore.js';
import { PAGE } from './support/search.js';
import type { KindRestore, ReadContext, ResourceKind } from './types.js';

function searchModules(ctx: ReadContext, status?: 'SAVED'): AsyncIterable<ContactFlowModule> {
  return itemsOf(
    paginateSearchContactFlowModules(
      { client: ctx.connect, pageSize: PAGE },
      {
        InstanceId: ctx.instanceId,
        MaxResults: PAGE,
        ...(status ? { SearchCriteria: { StatusCondition: status } } : {}),
      },
    ),
    (page) => page.ContactFlowModules,
  );
}

const flowModulesRestore: KindRestore = {
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
  readOperations: ['SearchContactFlowModules'],
  async *read(ctx) {
    const drafts = await savedVersions(searchModules(ctx, 'SAVED'));
    for await (const module of searchModules(ctx)) {
      const draft = module.Status === 'PUBLISHED' && module.Id ? drafts.get(module.Id) : undefined;
      yield documentOf(
        'flow-modules',
        module,
        { id: module.Id, arn: module.Arn, name: module.Name },
        draft === undefined ? undefined : { savedContent: draft },
      );
    }
  },
  restore: flowModulesRestore,
};
