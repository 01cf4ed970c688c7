/**
 * Flows, read with Search (the Search item carries Content, Tags, LastModifiedTime and
 * FlowContentSha256: connect-api-facts.md §5), so 100 flows cost one call.
 *
 * Unpublished changes: a second Search with `StatusCondition: SAVED` returns the SAVED versions.
 * Where a published flow also has a SAVED version, its content goes in `related.savedContent`.
 * (The real service's behaviour here is an open point of the API facts, §11.3; the emulator
 * models it this way, and `DescribeContactFlow <id>:$SAVED` is the per-flow fallback.)
 *
 * Restored in two steps (`support/flow.ts`): a SAVED placeholder in the main phase, the real
 * content published in the content phase, last.
 */
import {
  type ContactFlow,
  CreateContactFlowCommand,
  paginateSearchContactFlows,
  UpdateContactFlowContentCommand,
  UpdateContactFlowMetadataCommand,
} from '@aws-sdk/client-connect';
import {
  CONTENT_PHASES,
  contentParts,
  ignorePublishedWhenNotWanted,
  isPlaceholder,
  placeholderContent,
  savedVersions,
  updateFlowOrModule,
} from './support/flow.js';
import { documentOf, itemsOf } from './support/read.js';
import { entityOf, sendOptions, tagsMember, text, userTags } from './support/restore.js';
import { PAGE } from './support/search.js';
import type { DerivedObject, KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

function searchFlows(ctx: ReadContext, status?: 'SAVED'): AsyncIterable<ContactFlow> {
  return itemsOf(
    paginateSearchContactFlows(
      { client: ctx.connect, pageSize: PAGE },
      {
        InstanceId: ctx.instanceId,
        MaxResults: PAGE,
        ...(status ? { SearchCriteria: { StatusCondition: status } } : {}),
      },
    ),
    (page) => page.ContactFlows,
  );
}

/** The flow content pretty-printed, for people and diffs (`flows-raw/`). */
function rawFlow(document: StoredDocument): DerivedObject[] {
  const content = document.resource.Content;
  if (typeof content !== 'string') return [];
  let body: string;
  try {
    body = `${JSON.stringify(JSON.parse(content), null, 2)}\n`;
  } catch {
    body = content;
  }
  return [{ folder: 'flows-raw', body }];
}

const flowsRestore: KindRestore = {
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

export const flows: ResourceKind<'flows'> = {
  name: 'flows',
  label: 'flow',
  readOperations: ['SearchContactFlows'],
  async *read(ctx) {
    const drafts = await savedVersions(searchFlows(ctx, 'SAVED'));
    for await (const flow of searchFlows(ctx)) {
      const draft = flow.Status === 'PUBLISHED' && flow.Id ? drafts.get(flow.Id) : undefined;
      yield documentOf(
        'flows',
        flow,
        { id: flow.Id, arn: flow.Arn, name: flow.Name },
        draft === undefined ? undefined : { savedContent: draft },
      );
    }
  },
  derive: rawFlow,
  restore: flowsRestore,
};
