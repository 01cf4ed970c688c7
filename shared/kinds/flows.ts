/**
 * Flows and flow modules, read with Search (the Search item carries Content, Tags,
 * LastModifiedTime and FlowContentSha256: connect-api-facts.md §5), so 100 flows cost one call.
 *
 * Unpublished changes: a second Search with `StatusCondition: SAVED` returns the SAVED versions.
 * Where a published flow also has a SAVED version, its content goes in `related.savedContent`.
 * (The real service's behaviour here is an open point of the API facts, §11.3; the emulator
 * models it this way, and `DescribeContactFlow <id>:$SAVED` is the per-flow fallback.)
 */
import {
  type ContactFlow,
  type ContactFlowModule,
  paginateSearchContactFlowModules,
  paginateSearchContactFlows,
} from '@aws-sdk/client-connect';
import { documentOf, itemsOf } from './read.js';
import type { DerivedObject, ReadContext, ResourceKind, StoredDocument } from './types.js';

const PAGE = 100;

async function savedVersions<E extends { Id?: string; Content?: string }>(
  items: AsyncIterable<E>,
): Promise<Map<string, string>> {
  const saved = new Map<string, string>();
  for await (const item of items) {
    if (item.Id && item.Content !== undefined) saved.set(item.Id, item.Content);
  }
  return saved;
}

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

export const flows: ResourceKind = {
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
};

export const flowModules: ResourceKind = {
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
};
