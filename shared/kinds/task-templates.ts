/**
 * Task templates: read with ListTaskTemplates (ACTIVE and INACTIVE ones), then GetTaskTemplate per
 * template; restored with CreateTaskTemplate, UpdateTaskTemplate and TagResource, matched by Name.
 *
 * The stored `resource` is GetTaskTemplate's answer without `InstanceId` (the instance's id, not the
 * template's): Name, Description, ContactFlowId, SelfAssignFlowId, Constraints, Defaults, Fields,
 * Status, Tags and the times. References: ContactFlowId and SelfAssignFlowId name flows (remapped
 * to the target's flows, which exist as placeholders by then); any other id or ARN inside the
 * template (a QUICK_CONNECT field's default value, for instance) is remapped like every id of the
 * snapshot, wherever it sits.
 *
 * No change signal: read in full on every run (one List call per 100 templates, one GetTaskTemplate
 * each). ListTaskTemplates' LastModifiedTime would cover content, but tags live on GetTaskTemplate
 * only and TagResource is not documented to move LastModifiedTime.
 *
 * Restore: CreateTaskTemplate takes no tags (TagResource follows); UpdateTaskTemplate is a full
 * replacement, so an update sends the whole content, never the changed parts alone.
 */
import {
  CreateTaskTemplateCommand,
  type CreateTaskTemplateRequest,
  GetTaskTemplateCommand,
  type GetTaskTemplateResponse,
  paginateListTaskTemplates,
  type TaskTemplateMetadata,
  UpdateTaskTemplateCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { documentOf, itemsOf, mapUnordered } from './support/read.js';
import { anyChanged, entityOf, sendOptions, text, updateTags, userTags } from './support/restore.js';
import type {
  DeclaredReference,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  StoredDocument,
} from './types.js';

/** ListTaskTemplates pages hold at most 100 templates. */
const PAGE = 100;

function listTaskTemplates(ctx: ReadContext): AsyncIterable<TaskTemplateMetadata> {
  return itemsOf(
    paginateListTaskTemplates(
      { client: ctx.connect, pageSize: PAGE },
      { InstanceId: ctx.instanceId, MaxResults: PAGE },
      opts(ctx),
    ),
    (page) => page.TaskTemplates,
  );
}

/**
 * Reads one template (GetTaskTemplate).
 * @throws the SDK's service errors.
 */
async function getTaskTemplate(ctx: ReadContext, id: string): Promise<StoredDocument> {
  const {
    $metadata: _metadata,
    InstanceId: _instance,
    ...template
  } = await ctx.connect.send(
    new GetTaskTemplateCommand({ InstanceId: ctx.instanceId, TaskTemplateId: id }),
    opts(ctx),
  );
  return documentOf('task-templates', template, { id: template.Id, arn: template.Arn, name: template.Name });
}

/** The members CreateTaskTemplate and UpdateTaskTemplate take (besides the ids). */
const CONTENT = [
  'Name',
  'Description',
  'ContactFlowId',
  'SelfAssignFlowId',
  'Constraints',
  'Defaults',
  'Fields',
  'Status',
] as const;

type Content = Pick<CreateTaskTemplateRequest, (typeof CONTENT)[number]>;

function contentOf(desired: ResourceState): Content {
  return Object.fromEntries(
    CONTENT.filter((member) => desired[member] !== undefined).map((member) => [member, desired[member]]),
  ) as Content;
}

const FLOW_MEMBERS = ['ContactFlowId', 'SelfAssignFlowId'] as const;

const taskTemplatesRestore: KindRestore = {
  writeOperations: ['CreateTaskTemplate', 'UpdateTaskTemplate', 'TagResource', 'UntagResource'],
  // DeleteTaskTemplate exists; mirror does not use it yet (no removal here), so it keeps the target's extra ones.
  keptReason:
    'kept: mirror does not remove task templates yet (connect-vault makes no DeleteTaskTemplate call)',
  nameMember: 'Name',
  state(document) {
    const template = entityOf<GetTaskTemplateResponse>(document);
    return {
      ...Object.fromEntries(CONTENT.map((member) => [member, template[member]])),
      Tags: userTags(template.Tags),
    };
  },
  references(state) {
    return FLOW_MEMBERS.flatMap((member): DeclaredReference[] => {
      const value = text(state, member);
      return value ? [{ member, kind: 'flows', value }] : [];
    });
  },
  async create(ctx, desired) {
    const name = text(desired, 'Name');
    if (!name) throw new Error('a task template needs a name');
    const created = await ctx.connect.send(
      new CreateTaskTemplateCommand({
        InstanceId: ctx.instanceId,
        ...contentOf(desired),
        Name: name,
        Fields: (desired.Fields as Content['Fields']) ?? [],
      }),
      sendOptions(ctx),
    );
    if (!created.Id || !created.Arn) throw new Error('CreateTaskTemplate returned no id');
    const target = { id: created.Id, arn: created.Arn };
    // CreateTaskTemplate takes no tags.
    await updateTags(ctx, target, undefined, desired.Tags);
    return target;
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, ...CONTENT)) {
      // A full replacement: the whole content, whatever changed.
      await ctx.connect.send(
        new UpdateTaskTemplateCommand({
          InstanceId: ctx.instanceId,
          TaskTemplateId: target.id,
          ...contentOf(desired),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const taskTemplates: ResourceKind<'task-templates'> = {
  name: 'task-templates',
  label: 'task template',
  readOperations: ['ListTaskTemplates', 'GetTaskTemplate'],
  read(ctx) {
    const summaries = notStored(ctx, listTaskTemplates(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (s) => getTaskTemplate(ctx, s.Id ?? ''));
  },
  restore: taskTemplatesRestore,
};
