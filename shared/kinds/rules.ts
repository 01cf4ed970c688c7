/**
 * Rules: read with ListRules (DRAFT and PUBLISHED), then DescribeRule per rule (the List summary
 * has no Function and no Actions); restored with CreateRule and UpdateRule, matched by Name.
 *
 * References inside the actions, remapped to the target's resources (every id and ARN of the
 * snapshot is, wherever it sits; these are declared so that one that cannot be resolved blocks the
 * rule): TaskAction.ContactFlowId (flows), Send(InApp)NotificationAction Recipient and Exclusion
 * UserIds (users; `$.` variables such as `$.ContactLens.ContactEvaluation.Agent.AgentId` are
 * expressions, not ids), SubmitAutoEvaluationAction.EvaluationFormId (evaluation forms). Not kinds
 * of connect-vault, and kept as the snapshot has them: TriggerEventSource.IntegrationAssociationId
 * (an integration association), CreateCaseAction.TemplateId (a Cases template) and
 * ExtractInformationAction's extraction definitions; a restore into another instance or account
 * needs those to exist there with the same ids. `Function` (the Rules Function language) is kept
 * and written as an opaque string.
 *
 * The trigger cannot change: UpdateRule takes no TriggerEventSource, so a target rule of the same
 * name with another trigger is blocked and named (it would have to be deleted, which restore never
 * does). UpdateRule is a full replacement: an update sends the whole rule.
 *
 * No change signal: read in full on every run (one ListRules call per 200 rules, one DescribeRule
 * each). ListRules' LastUpdatedTime would cover content, but tags live on DescribeRule only and
 * TagResource is not documented to move LastUpdatedTime.
 */
import {
  CreateRuleCommand,
  type CreateRuleRequest,
  DescribeRuleCommand,
  paginateListRules,
  type Rule,
  type RuleAction,
  type RuleSummary,
  UpdateRuleCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { documentOf, itemsOf, mapUnordered } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import type {
  DeclaredReference,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  StoredDocument,
} from './types.js';

/** ListRules pages hold at most 200 rules. */
const PAGE = 200;

function listRules(ctx: ReadContext): AsyncIterable<RuleSummary> {
  return itemsOf(
    paginateListRules(
      { client: ctx.connect, pageSize: PAGE },
      { InstanceId: ctx.instanceId, MaxResults: PAGE },
      opts(ctx),
    ),
    (page) => page.RuleSummaryList,
  );
}

/**
 * Reads one rule (DescribeRule).
 * @throws the SDK's service errors.
 */
async function describeRule(ctx: ReadContext, id: string): Promise<StoredDocument> {
  const { Rule: rule } = await ctx.connect.send(
    new DescribeRuleCommand({ InstanceId: ctx.instanceId, RuleId: id }),
    opts(ctx),
  );
  if (!rule) throw new Error(`DescribeRule returned nothing for ${id}`);
  return documentOf('rules', rule, { id: rule.RuleId, arn: rule.RuleArn, name: rule.Name });
}

/** What UpdateRule takes (besides the ids): everything but the trigger. */
const UPDATABLE = ['Name', 'Function', 'Actions', 'PublishStatus', 'PreEvaluationFilters'] as const;

type Content = Pick<CreateRuleRequest, (typeof UPDATABLE)[number]>;

function contentOf(desired: ResourceState): Content {
  return {
    Name: text(desired, 'Name'),
    Function: text(desired, 'Function') ?? '',
    Actions: (desired.Actions as RuleAction[] | undefined) ?? [],
    PublishStatus: desired.PublishStatus as Content['PublishStatus'],
    ...(desired.PreEvaluationFilters
      ? { PreEvaluationFilters: desired.PreEvaluationFilters as Content['PreEvaluationFilters'] }
      : {}),
  };
}

/** The user ids of a notification's recipients or exclusions, as declared references. */
function userReferences(ids: readonly string[] | undefined, member: string): DeclaredReference[] {
  return (ids ?? []).flatMap((value, j) =>
    value.startsWith('$.') ? [] : [{ member: `${member}.UserIds[${j}]`, kind: 'users' as const, value }],
  );
}

/** The member holding each action type's definition. */
const DEFINITION: Readonly<Record<string, keyof RuleAction | undefined>> = {
  CREATE_TASK: 'TaskAction',
  ASSIGN_CONTACT_CATEGORY: 'AssignContactCategoryAction',
  GENERATE_EVENTBRIDGE_EVENT: 'EventBridgeAction',
  SEND_NOTIFICATION: 'SendNotificationAction',
  CREATE_CASE: 'CreateCaseAction',
  UPDATE_CASE: 'UpdateCaseAction',
  ASSIGN_SLA: 'AssignSlaAction',
  END_ASSOCIATED_TASKS: 'EndAssociatedTasksAction',
  SUBMIT_AUTO_EVALUATION: 'SubmitAutoEvaluationAction',
  EXTRACT_INFORMATION: 'ExtractInformationAction',
};

/**
 * Why the rule cannot be written: an action whose definition the snapshot lacks. The SDK this build
 * uses (@aws-sdk/client-connect 3.1136.0) has no SendInAppNotificationAction member, so a
 * SEND_IN_APP_NOTIFICATION action is read without its definition.
 */
function undefinedActions(state: ResourceState): string | undefined {
  const missing = ((state.Actions as RuleAction[] | undefined) ?? []).flatMap((action, i) => {
    const member = DEFINITION[action.ActionType ?? ''];
    return member && action[member] !== undefined ? [] : [`Actions[${i}] (${action.ActionType})`];
  });
  return missing.length
    ? `the snapshot holds no definition of ${missing.join(', ')}: the SDK connect-vault reads with has no member for it, so the rule cannot be written as it was`
    : undefined;
}

const rulesRestore: KindRestore = {
  writeOperations: ['CreateRule', 'UpdateRule', 'TagResource', 'UntagResource'],
  // DeleteRule exists; mirror does not use it yet (no removal here), so it keeps the target's extra ones.
  keptReason: 'kept: mirror does not remove rules yet (connect-vault makes no DeleteRule call)',
  nameMember: 'Name',
  state(document) {
    const rule = entityOf<Rule>(document);
    return {
      Name: rule.Name,
      TriggerEventSource: rule.TriggerEventSource,
      Function: rule.Function,
      Actions: rule.Actions,
      PublishStatus: rule.PublishStatus,
      PreEvaluationFilters: rule.PreEvaluationFilters,
      Tags: userTags(rule.Tags),
    };
  },
  references(state) {
    return ((state.Actions as RuleAction[] | undefined) ?? []).flatMap((action, i): DeclaredReference[] => {
      const at = `Actions[${i}]`;
      const flow = action.TaskAction?.ContactFlowId;
      const form = action.SubmitAutoEvaluationAction?.EvaluationFormId;
      return [
        ...(flow ? [{ member: `${at}.TaskAction.ContactFlowId`, kind: 'flows' as const, value: flow }] : []),
        ...(form
          ? [
              {
                member: `${at}.SubmitAutoEvaluationAction.EvaluationFormId`,
                kind: 'evaluation-forms' as const,
                value: form,
              },
            ]
          : []),
        ...userReferences(
          action.SendNotificationAction?.Recipient?.UserIds,
          `${at}.SendNotificationAction.Recipient`,
        ),
        ...userReferences(
          action.SendNotificationAction?.Exclusion?.UserIds,
          `${at}.SendNotificationAction.Exclusion`,
        ),
      ];
    });
  },
  cannotCreate(source) {
    return undefinedActions(rulesRestore.state(source));
  },
  cannotUpdate(changed, _current, desired) {
    if (changed.includes('TriggerEventSource')) {
      return "the target's rule of that name has another trigger, and UpdateRule cannot change a rule's trigger: delete or rename the target's rule";
    }
    return undefinedActions(desired);
  },
  async create(ctx, desired) {
    const name = text(desired, 'Name');
    if (!name) throw new Error('a rule needs a name');
    const created = await ctx.connect.send(
      new CreateRuleCommand({
        InstanceId: ctx.instanceId,
        ...contentOf(desired),
        Name: name,
        TriggerEventSource: desired.TriggerEventSource as CreateRuleRequest['TriggerEventSource'],
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.RuleId || !created.RuleArn) throw new Error('CreateRule returned no id');
    return { id: created.RuleId, arn: created.RuleArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, ...UPDATABLE)) {
      // A full replacement: the whole rule, whatever changed.
      await ctx.connect.send(
        new UpdateRuleCommand({ InstanceId: ctx.instanceId, RuleId: target.id, ...contentOf(desired) }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const rules: ResourceKind<'rules'> = {
  name: 'rules',
  label: 'rule',
  readOperations: ['ListRules', 'DescribeRule'],
  read(ctx) {
    const summaries = notStored(ctx, listRules(ctx), (s) => s.RuleId);
    return mapUnordered(summaries, CONCURRENCY, (s) => describeRule(ctx, s.RuleId ?? ''));
  },
  restore: rulesRestore,
};
