/**
 * Flows: SearchContactFlows is the index and the change signal; each document is the documented
 * full read, DescribeContactFlow `<id>` (published) and `<id>:$SAVED` (unpublished changes, in
 * `related.savedContent`; see `support/flow-read.ts`). A full read costs one Search call per 100
 * flows and one or two Describe calls per flow; a nightly run one `:$SAVED` Describe per published
 * flow (no documented signal says a draft was saved) and one more per changed flow.
 *
 * Restored in two steps (`support/flow.ts`): a SAVED placeholder in the main phase, the real
 * content published in the content phase, last.
 */
import {
  type ContactFlow,
  CreateContactFlowCommand,
  DeleteContactFlowCommand,
  DescribeContactFlowCommand,
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
  updateFlowOrModule,
} from './support/flow.js';
import { type FlowReadParts, flowSignal, readChangedFlows, readFlows } from './support/flow-read.js';
import { itemsOf } from './support/read.js';
import { deletion, INSTANCE_DEFAULT_FLOWS, instanceDefault } from './support/removal.js';
import { entityOf, sendOptions, tagsMember, text, userTags } from './support/restore.js';
import { PAGE } from './support/search.js';
import type { DerivedObject, KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

const reads: FlowReadParts<ContactFlow> = {
  kind: 'flows',
  label: 'flow',
  describeOperation: 'DescribeContactFlow',
  hashMember: 'FlowContentSha256',
  search: (ctx: ReadContext) =>
    itemsOf(
      paginateSearchContactFlows(
        { client: ctx.connect, pageSize: PAGE },
        { InstanceId: ctx.instanceId, MaxResults: PAGE },
      ),
      (page) => page.ContactFlows,
    ),
  async describe(ctx, ContactFlowId) {
    const { ContactFlow: flow } = await ctx.connect.send(
      new DescribeContactFlowCommand({ InstanceId: ctx.instanceId, ContactFlowId }),
      { abortSignal: ctx.signal },
    );
    return flow ?? {};
  },
};

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
  // The flows every instance comes with stay: Connect's features fall back on them.
  remove: deletion(
    'DeleteContactFlow',
    (ctx, target) =>
      ctx.connect.send(
        new DeleteContactFlowCommand({ InstanceId: ctx.instanceId, ContactFlowId: target.id }),
        sendOptions(ctx),
      ),
    (target) => instanceDefault('flow', INSTANCE_DEFAULT_FLOWS, target.name),
  ),
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
  readOperations: ['SearchContactFlows', 'DescribeContactFlow'],
  read: (ctx) => readFlows(reads, ctx),
  changes: {
    signal:
      'SearchContactFlows (every member but Content; FlowContentSha256 for the content), and DescribeContactFlow <id>:$SAVED of each published flow for its unpublished changes',
    notCovered: [],
    signalOf: (document) =>
      flowSignal(document.resource, reads.hashMember, document.related?.savedContent) ?? '',
    readChanged: (ctx, previous) => readChangedFlows(reads, ctx, previous),
  },
  derive: rawFlow,
  restore: flowsRestore,
};
