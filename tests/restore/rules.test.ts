/**
 * Rules through backup and restore, demo-source into demo-target (another account and Region): the
 * snapshot holds each rule as DescribeRule returns it; a restore creates them with the flow, user
 * and evaluation form their actions name remapped to the target's; overwrite brings a changed rule
 * back; a rule whose trigger differs is blocked and named; and every second run writes nothing.
 */
import {
  type ConnectClient,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  type Rule,
  UpdateRuleCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreOf, type StoredDocument } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_RULES } from '../emulator/seeds/demo.js';
import {
  demoKindFixture,
  instanceNamed,
  settledCrossAccountRestore,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: ConnectClient;
let target: ConnectClient;
let documents: StoredDocument[];

beforeAll(async () => {
  ({ emulator, folder, source, target, documents } = await demoKindFixture('rules'));
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const idOf = (alias: string) => instanceNamed(emulator, alias).id;
const state = (alias: string) => emulator.world.instances.get(idOf(alias))!;

async function rulesOf(client: ConnectClient, alias: string) {
  const InstanceId = idOf(alias);
  const { RuleSummaryList = [] } = await client.send(new ListRulesCommand({ InstanceId }));
  const out: Record<string, Rule> = {};
  for (const r of RuleSummaryList) {
    out[r.Name ?? ''] = (await client.send(new DescribeRuleCommand({ InstanceId, RuleId: r.RuleId }))).Rule!;
  }
  return out;
}

/** What restore brings over, with the resources the actions name as names of the instance's. */
function content(rule: Rule | undefined, alias: string) {
  const instance = state(alias);
  return {
    Name: rule?.Name,
    TriggerEventSource: rule?.TriggerEventSource,
    Function: rule?.Function,
    PublishStatus: rule?.PublishStatus,
    Tags: rule?.Tags,
    Actions: rule?.Actions?.map((a) => ({
      ...a,
      ...(a.TaskAction
        ? {
            TaskAction: {
              ...a.TaskAction,
              ContactFlowId: instance.flows.find(a.TaskAction.ContactFlowId!)?.name,
            },
          }
        : {}),
      ...(a.SendNotificationAction
        ? {
            SendNotificationAction: {
              ...a.SendNotificationAction,
              Recipient: {
                UserIds: a.SendNotificationAction.Recipient?.UserIds?.map(
                  (id) => instance.users.find(id)?.name,
                ),
              },
            },
          }
        : {}),
      ...(a.SubmitAutoEvaluationAction
        ? {
            SubmitAutoEvaluationAction: {
              EvaluationFormId: instance.evaluationForms.find(a.SubmitAutoEvaluationAction.EvaluationFormId!)
                ?.name,
            },
          }
        : {}),
    })),
  };
}

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

describe('backing up rules', () => {
  it('stores each rule, DRAFT and PUBLISHED, as DescribeRule returns it', async () => {
    const live = await rulesOf(source, 'demo-source');

    expect(documents.map((d) => d.name).sort()).toEqual(DEMO_RULES.map((r) => r.name).sort());
    for (const document of documents) {
      expect(document.resource).toEqual(JSON.parse(JSON.stringify(live[document.name])));
      expect(document.arn).toBe(live[document.name]?.RuleArn);
    }
  });
});

describe('restoring rules', () => {
  it("creates the rules with their actions' flow, user and evaluation form remapped", async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    // One rule each, whatever the retries: a rule created side by side with the users, forms and
    // flows it names may be retried while they propagate (write-retry.ts).
    expect(report.apiCalls.CreateRule).toBeGreaterThanOrEqual(2);
    expect(report.entries.filter((e) => e.kind === 'rules' && e.outcome === 'created')).toHaveLength(2);
    expect(state('demo-target').rules.all()).toHaveLength(2);
    const restored = await rulesOf(target, 'demo-target');
    const origin = await rulesOf(source, 'demo-source');
    for (const name of Object.keys(origin)) {
      expect(content(restored[name], 'demo-target'), name).toEqual(content(origin[name], 'demo-source'));
    }
    const escalate = restored['Escalate-Negative-Sentiment']!;
    expect(escalate.Actions?.[1]?.SendNotificationAction?.Recipient?.UserIds).toEqual([
      state('demo-target').users.findByName('maya.patel')?.id,
    ]);
    expect(
      restored['Auto-Evaluate-Support']?.Actions?.[0]?.SubmitAutoEvaluationAction?.EvaluationFormId,
    ).toBe(state('demo-target').evaluationForms.findByName('Customer Service Quality')?.id);
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings a changed rule back in overwrite mode with one UpdateRule, and then writes nothing', async () => {
    const InstanceId = idOf('demo-target');
    const rule = (await rulesOf(target, 'demo-target'))['Escalate-Negative-Sentiment']!;
    await target.send(
      new UpdateRuleCommand({
        InstanceId,
        RuleId: rule.RuleId,
        Name: rule.Name,
        Function: 'changed',
        Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} }],
        PublishStatus: 'DRAFT',
      }),
    );

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(report.entries.filter((e) => e.action === 'update').map((e) => [e.name, e.changes])).toEqual([
      ['Escalate-Negative-Sentiment', ['Actions', 'Function', 'PublishStatus']],
    ]);
    expect(report.apiCalls.UpdateRule).toBe(1);
    const after = (await rulesOf(target, 'demo-target'))['Escalate-Negative-Sentiment'];
    const origin = (await rulesOf(source, 'demo-source'))['Escalate-Negative-Sentiment'];
    expect(content(after, 'demo-target')).toEqual(content(origin, 'demo-source'));
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });

  it('blocks a rule whose target namesake has another trigger, naming why', async () => {
    const InstanceId = idOf('demo-target');
    const rule = (await rulesOf(target, 'demo-target'))['Auto-Evaluate-Support']!;
    await target.send(new DeleteRuleCommand({ InstanceId, RuleId: rule.RuleId }));
    await target.send(
      new CreateRuleCommand({
        InstanceId,
        Name: rule.Name,
        TriggerEventSource: { EventSourceName: 'OnAfterCallWorkAvailable' },
        Function: rule.Function,
        Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} }],
        PublishStatus: 'DRAFT',
      }),
    );

    const report = await restore({ mode: 'overwrite', dryRun: true });

    const entry = report.entries.find((e) => e.kind === 'rules' && e.name === 'Auto-Evaluate-Support');
    expect(entry).toMatchObject({ blocked: true });
    expect(entry?.changes).toContain('TriggerEventSource');
    expect(entry?.reason).toContain("UpdateRule cannot change a rule's trigger");
  });
});

describe('a rule whose action the SDK cannot read', () => {
  it('cannot be created or updated, and says why', () => {
    const spec = restoreOf('rules');
    const document: StoredDocument = {
      kind: 'rules',
      id: 'r',
      arn: 'arn:aws:connect:us-east-1:111122223333:instance/i/rule/r',
      name: 'In-App',
      resource: {
        Name: 'In-App',
        TriggerEventSource: { EventSourceName: 'OnSlaBreach' },
        Function: 'f',
        PublishStatus: 'DRAFT',
        Actions: [{ ActionType: 'SEND_IN_APP_NOTIFICATION' }],
      },
    };
    const reason = spec.cannotCreate?.(document, {
      promptAudioMissing: () => undefined,
      targetName: (d) => d.name,
    });

    expect(reason).toContain('Actions[0] (SEND_IN_APP_NOTIFICATION)');
    expect(spec.cannotUpdate?.(['Actions'], {}, spec.state(document))).toBe(reason);
  });
});
