/**
 * The emulator's rules: create, describe, list, full-replacement update, and each rule the
 * handlers enforce (handlers/rules.ts), through the unmodified SDK client.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateRuleCommand,
  type CreateRuleRequest,
  DescribeRuleCommand,
  ListRulesCommand,
  UpdateRuleCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { MAX_RULES } from './handlers/rules.js';
import { addFlow, expectError, type Harness, startWithInstance } from './testing.js';

const FLOW = randomUUID();
const start = () =>
  startWithInstance({ arrange: (instance) => void addFlow(instance, FLOW, 'Tasks', 'CONTACT_FLOW') });

const RULE: Omit<CreateRuleRequest, 'InstanceId'> = {
  Name: 'Escalate',
  TriggerEventSource: { EventSourceName: 'OnPostCallAnalysisAvailable' },
  Function: 'any opaque expression',
  Actions: [{ ActionType: 'CREATE_TASK', TaskAction: { Name: 'Call back', ContactFlowId: FLOW } }],
  PublishStatus: 'PUBLISHED',
};

const create = (h: Harness, extra: Partial<CreateRuleRequest> = {}) =>
  h.connect.send(new CreateRuleCommand({ InstanceId: h.InstanceId, ...RULE, ...extra }));

describe('rules', () => {
  it('creates a rule, describes it with its tags and lists it with its action types', async () => {
    const h = await start();
    const created = await create(h, { Tags: { Owner: 'QA' } });

    const { Rule } = await h.connect.send(
      new DescribeRuleCommand({ InstanceId: h.InstanceId, RuleId: created.RuleId }),
    );
    const list = await h.connect.send(new ListRulesCommand({ InstanceId: h.InstanceId }));

    expect(created.RuleArn).toBe(`${h.instance.arn}/rule/${created.RuleId}`);
    expect(Rule).toMatchObject({ ...RULE, RuleId: created.RuleId, Tags: { Owner: 'QA' } });
    expect(list.RuleSummaryList).toEqual([
      expect.objectContaining({
        Name: 'Escalate',
        EventSourceName: 'OnPostCallAnalysisAvailable',
        PublishStatus: 'PUBLISHED',
        ActionSummaries: [{ ActionType: 'CREATE_TASK' }],
      }),
    ]);
  });

  it('rejects actions naming a flow, a user or an evaluation form the instance does not have', async () => {
    const h = await start();

    await expectError(
      create(h, {
        Actions: [{ ActionType: 'CREATE_TASK', TaskAction: { Name: 'x', ContactFlowId: randomUUID() } }],
      }),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      create(h, {
        Actions: [
          {
            ActionType: 'SEND_NOTIFICATION',
            SendNotificationAction: {
              DeliveryMethod: 'EMAIL',
              Content: 'x',
              ContentType: 'PLAIN_TEXT',
              Recipient: { UserIds: [randomUUID()] },
            },
          },
        ],
      }),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      create(h, {
        Actions: [
          {
            ActionType: 'SUBMIT_AUTO_EVALUATION',
            SubmitAutoEvaluationAction: { EvaluationFormId: randomUUID() },
          },
        ],
      }),
      'ResourceNotFoundException',
      404,
    );
    // The documented variable is an expression, not a user id.
    await create(h, {
      Actions: [
        {
          ActionType: 'SEND_NOTIFICATION',
          SendNotificationAction: {
            DeliveryMethod: 'EMAIL',
            Content: 'x',
            ContentType: 'PLAIN_TEXT',
            Recipient: { UserIds: ['$.ContactLens.ContactEvaluation.Agent.AgentId'] },
          },
        },
      ],
    });
  });

  it('rejects an action without the definition of its type, or with another one', async () => {
    const h = await start();

    await expectError(
      create(h, { Actions: [{ ActionType: 'CREATE_TASK' }] }),
      'InvalidRequestException',
      400,
    );
    await expectError(
      create(h, {
        Actions: [
          { ActionType: 'GENERATE_EVENTBRIDGE_EVENT', TaskAction: { Name: 'x', ContactFlowId: FLOW } },
        ],
      }),
      'InvalidRequestException',
      400,
    );
  });

  it('rejects a name taken (ResourceConflictException) and more DRAFT rules than the quota', async () => {
    const h = await start();
    await create(h);

    await expectError(create(h), 'ResourceConflictException', 409);
    for (let i = 0; i < MAX_RULES.DRAFT; i++) await create(h, { Name: `draft-${i}`, PublishStatus: 'DRAFT' });
    await expectError(
      create(h, { Name: 'one-more', PublishStatus: 'DRAFT' }),
      'ServiceQuotaExceededException',
      402,
    );
  });

  it('replaces the rule on update but keeps its trigger', async () => {
    const h = await start();
    const created = await create(h, { PreEvaluationFilters: { AndConditions: [] } });

    await h.connect.send(
      new UpdateRuleCommand({
        InstanceId: h.InstanceId,
        RuleId: created.RuleId,
        Name: 'Renamed',
        Function: 'other',
        Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} }],
        PublishStatus: 'DRAFT',
      }),
    );
    const { Rule } = await h.connect.send(
      new DescribeRuleCommand({ InstanceId: h.InstanceId, RuleId: created.RuleId }),
    );

    expect(Rule).toMatchObject({
      Name: 'Renamed',
      Function: 'other',
      PublishStatus: 'DRAFT',
      TriggerEventSource: RULE.TriggerEventSource,
      Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} }],
    });
    expect(Rule?.PreEvaluationFilters).toBeUndefined();
  });
});
