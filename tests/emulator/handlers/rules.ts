/**
 * Rules: ListRules, DescribeRule, CreateRule, UpdateRule, DeleteRule (connect-api-facts.md,
 * "Rules").
 *
 * The model checks required members, enums, lengths and the Name pattern (model.ts). Rules from the
 * API reference that the model does not carry, enforced here:
 * - names are unique per instance: ResourceConflictException (409, the error the model lists for
 *   rules, connect-api-facts.md §7);
 * - at most 200 PUBLISHED and 50 DRAFT rules per instance (connect-api-facts.md, quotas):
 *   ServiceQuotaExceededException;
 * - UpdateRule is a full replacement (PUT) and takes no TriggerEventSource: the trigger of a rule
 *   never changes.
 *
 * Choices where the reference says nothing (failing loudly rather than guessing in the product's
 * favour):
 * - An action carries exactly the definition of its ActionType (CREATE_TASK → TaskAction, …;
 *   ASSIGN_CONTACT_CATEGORY → AssignContactCategoryAction, END_ASSOCIATED_TASKS →
 *   EndAssociatedTasksAction), and no other: InvalidRequestException.
 * - References inside actions must exist in the instance: TaskAction.ContactFlowId (a flow),
 *   Send(InApp)NotificationAction Recipient/Exclusion UserIds (users; the documented variable
 *   `$.ContactLens.ContactEvaluation.Agent.AgentId` and any other `$.` expression are accepted),
 *   SubmitAutoEvaluationAction.EvaluationFormId (an evaluation form): ResourceNotFoundException.
 *   CreateCaseAction.TemplateId (Cases), ExtractInformationAction's extraction definitions and
 *   TriggerEventSource.IntegrationAssociationId are not modelled and accepted as given.
 * - `Function` (the Rules Function language) is kept as an opaque string: its grammar is in a
 *   reference page the API model does not carry, so the emulator checks no syntax.
 * - CreateRule's answer and DescribeRule's LastUpdatedBy is `<instance ARN>/agent/emulator`;
 *   UpdateRule moves LastUpdatedTime, TagResource does not.
 */
import type {
  CreateRuleRequest,
  CreateRuleResponse,
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  ListRulesRequest,
  ListRulesResponse,
  NotificationRecipientType,
  Rule,
  RuleAction,
  RuleSummary,
  UpdateRuleRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidRequest, notFound } from '../errors.js';
import type { InstanceState, RuleRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

/**
 * An action as the model defines it: @aws-sdk/client-connect 3.1136.0's RuleAction lacks the
 * model's SendInAppNotificationAction.
 */
type Action = RuleAction & {
  SendInAppNotificationAction?: {
    Recipient?: NotificationRecipientType;
    Exclusion?: NotificationRecipientType;
  };
};

const PAGE_MAX = 200;
/** Rules per instance by publish status (connect-api-facts.md, quotas). */
export const MAX_RULES = { PUBLISHED: 200, DRAFT: 50 } as const;
const CALLER = (instance: InstanceState) => `${instance.arn}/agent/emulator`;

/** The definition member each action type carries. */
export const ACTION_MEMBER = {
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
  SEND_IN_APP_NOTIFICATION: 'SendInAppNotificationAction',
} as const satisfies Record<string, keyof Action>;

const MEMBERS = Object.values(ACTION_MEMBER);

function checkRecipients(
  instance: InstanceState,
  recipients: NotificationRecipientType | undefined,
  at: string,
) {
  for (const userId of recipients?.UserIds ?? []) {
    if (userId.startsWith('$.')) continue;
    if (!instance.users.find(userId)) throw notFound('User', `${userId} (${at}.UserIds)`);
  }
}

/**
 * Checks each action (see the module comment).
 * @throws ConnectError InvalidRequestException or ResourceNotFoundException naming the action.
 */
function checkActions(instance: InstanceState, actions: readonly Action[]): void {
  actions.forEach((action, i) => {
    const at = `Actions[${i}]`;
    const member = ACTION_MEMBER[action.ActionType as keyof typeof ACTION_MEMBER];
    const present = MEMBERS.filter((m) => action[m] !== undefined);
    if (present.length !== 1 || present[0] !== member) {
      throw invalidRequest(
        `${at}: an action of type ${action.ActionType} carries ${member} and no other definition (it has ${present.join(', ') || 'none'}).`,
      );
    }
    const flowId = action.TaskAction?.ContactFlowId;
    if (flowId !== undefined && !instance.flows.find(flowId)) {
      throw notFound('Contact flow', `${flowId} (${at}.TaskAction.ContactFlowId)`);
    }
    for (const key of ['SendNotificationAction', 'SendInAppNotificationAction'] as const) {
      checkRecipients(instance, action[key]?.Recipient, `${at}.${key}.Recipient`);
      checkRecipients(instance, action[key]?.Exclusion, `${at}.${key}.Exclusion`);
    }
    const formId = action.SubmitAutoEvaluationAction?.EvaluationFormId;
    if (formId !== undefined && !instance.evaluationForms.find(formId)) {
      throw notFound('Evaluation form', `${formId} (${at}.SubmitAutoEvaluationAction.EvaluationFormId)`);
    }
  });
}

function assertNameFree(instance: InstanceState, name: string, exceptId?: string): void {
  const other = instance.rules.findByName(name);
  if (other && other.id !== exceptId) {
    throw new ConnectError('ResourceConflictException', `A rule named "${name}" already exists.`);
  }
}

/** @throws ConnectError ServiceQuotaExceededException when one more rule of that status is too many. */
function assertQuota(instance: InstanceState, status: 'PUBLISHED' | 'DRAFT', exceptId?: string): void {
  const count = instance.rules
    .all()
    .filter((r) => r.entity.PublishStatus === status && r.id !== exceptId).length;
  if (count >= MAX_RULES[status]) {
    throw new ConnectError(
      'ServiceQuotaExceededException',
      `An instance holds at most ${MAX_RULES[status]} ${status} rules.`,
    );
  }
}

function summary(record: RuleRecord): RuleSummary {
  const rule = record.entity;
  return {
    Name: record.name,
    RuleId: record.id,
    RuleArn: record.arn,
    EventSourceName: rule.TriggerEventSource!.EventSourceName,
    PublishStatus: rule.PublishStatus,
    ActionSummaries: (rule.Actions ?? []).map((a) => ({ ActionType: a.ActionType })),
    CreatedTime: rule.CreatedTime,
    LastUpdatedTime: rule.LastUpdatedTime,
  };
}

/** Handlers of the rule operations (see the module comment for the rules). */
export const ruleHandlers: HandlerTable = {
  ListRules(ctx: RequestContext, input: ListRulesRequest): ListRulesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const matching = instance.rules
      .all()
      .filter((r) => !input.PublishStatus || r.entity.PublishStatus === input.PublishStatus)
      .filter(
        (r) =>
          !input.EventSourceName || r.entity.TriggerEventSource?.EventSourceName === input.EventSourceName,
      );
    const { page, NextToken } = paginate(
      matching.map(summary),
      input,
      `ListRules/${instance.id}/${input.PublishStatus ?? ''}/${input.EventSourceName ?? ''}`,
      PAGE_MAX,
    );
    return { RuleSummaryList: page, NextToken };
  },

  DescribeRule(ctx: RequestContext, input: DescribeRuleRequest): DescribeRuleResponse {
    const record = ctx.instance(input.InstanceId!).rules.require(input.RuleId!);
    const { Tags, ...rule } = structuredClone(record.entity);
    return { Rule: { ...rule, ...(Tags && Object.keys(Tags).length ? { Tags } : {}) } };
  },

  CreateRule(ctx: RequestContext, input: CreateRuleRequest): CreateRuleResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertNameFree(instance, input.Name!);
    checkActions(instance, input.Actions!);
    assertQuota(instance, input.PublishStatus!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('rule', id);
    const now = ctx.world.tick();
    const rule: Rule = {
      Name: input.Name!,
      RuleId: id,
      RuleArn: arn,
      TriggerEventSource: structuredClone(input.TriggerEventSource!),
      Function: input.Function!,
      Actions: structuredClone(input.Actions!),
      PublishStatus: input.PublishStatus!,
      ...(input.PreEvaluationFilters
        ? { PreEvaluationFilters: structuredClone(input.PreEvaluationFilters) }
        : {}),
      CreatedTime: now,
      LastUpdatedTime: now,
      LastUpdatedBy: CALLER(instance),
      ...(input.Tags && Object.keys(input.Tags).length ? { Tags: { ...input.Tags } } : {}),
    };
    instance.rules.add({ id, arn, name: input.Name!, entity: rule });
    return { RuleId: id, RuleArn: arn };
  },

  /** UpdateRule: a full replacement of name, function, actions, status and filters; the trigger stays. */
  UpdateRule(ctx: RequestContext, input: UpdateRuleRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.rules.require(input.RuleId!);
    assertNameFree(instance, input.Name!, record.id);
    checkActions(instance, input.Actions!);
    if (input.PublishStatus !== record.entity.PublishStatus)
      assertQuota(instance, input.PublishStatus!, record.id);
    const { TriggerEventSource, CreatedTime, Tags, RuleCapabilityTiers } = record.entity;
    record.entity = {
      Name: input.Name!,
      RuleId: record.id,
      RuleArn: record.arn,
      TriggerEventSource,
      ...(RuleCapabilityTiers ? { RuleCapabilityTiers } : {}),
      Function: input.Function!,
      Actions: structuredClone(input.Actions!),
      PublishStatus: input.PublishStatus!,
      ...(input.PreEvaluationFilters
        ? { PreEvaluationFilters: structuredClone(input.PreEvaluationFilters) }
        : {}),
      CreatedTime,
      LastUpdatedTime: ctx.world.tick(),
      LastUpdatedBy: CALLER(instance),
      ...(Tags ? { Tags } : {}),
    };
    instance.rules.rename(record, input.Name!);
    return {};
  },

  DeleteRule(ctx: RequestContext, input: DeleteRuleRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.rules.remove(instance.rules.require(input.RuleId!));
    return {};
  },
};
