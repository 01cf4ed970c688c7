/**
 * Unresolved references: a cross-account restore without the account mapping cannot remap the
 * source account's Lambda and Lex ARNs. They are reported, the flows that hold them are not
 * published (nor anything that needs them), and nothing with a source ARN reaches the target.
 * Filters that leave out what a resource needs block it too, or leave its links out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, type RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_LAMBDAS, DEMO_LEX_BOT_ALIAS } from '../emulator/seeds/demo-flows.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let unmapped: RestoreReport;
let completed: RestoreReport;
let targetBetween: Awaited<ReturnType<typeof snapshotDocuments>>;
let queuesOnly: RestoreReport;
let hoursAndQueues: RestoreReport;

function restore(request: Omit<RestoreRequestInput, 'source' | 'target'>): Promise<RestoreReport> {
  return restoreIntoDemoTarget(emulator, folder, request, { targetStats: true });
}

/** What needs the blocked flows: the task templates and the rule whose task runs one. */
const NEEDS_BLOCKED_FLOWS = [
  'quick-connects Customer Satisfaction Survey',
  'rules Escalate-Negative-Sentiment',
  'task-templates Billing Follow-up',
  'task-templates Callback Request',
];

const BLOCKED_BY_ARNS = [
  'flow-modules Customer Authentication',
  'flows Billing Queue Flow',
  'flows Chat Entry Flow',
  'flows Main Inbound IVR',
  'flows Post Call Survey',
  'flows Sample Lambda integration',
  'flows Support Queue Flow',
  'lambda-function arn:aws:lambda:us-east-1:111122223333:function:CreateSupportTicket',
  'lambda-function arn:aws:lambda:us-east-1:111122223333:function:CustomerLookup',
  'lambda-function arn:aws:lambda:us-east-1:111122223333:function:RecordSurveyResponse',
  `lex-v2-bot ${DEMO_LEX_BOT_ALIAS}`,
];

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  queuesOnly = await restore({
    dryRun: true,
    filters: { kinds: ['queues'], names: ['Sales*'] },
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  hoursAndQueues = await restore({
    dryRun: true,
    filters: { kinds: ['hours-of-operation', 'queues'], names: ['Sales*'] },
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  unmapped = await restore({});
  const target = instanceNamed(emulator, 'demo-target');
  targetBetween = await snapshotDocuments(
    folder.store,
    PREFIX,
    target.id,
    await backupOf(emulator, target, folder.store, PREFIX),
  );
  completed = await restore({ mode: 'overwrite', mappings: CROSS_ACCOUNT_MAPPING });
}, 90_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('a cross-account restore without the account mapping', () => {
  it('reports every source-account Lambda and Lex ARN it cannot remap, and where it sits', () => {
    const roots = unmapped.unresolved.filter((u) => u.cause === 'unresolved');

    expect([...new Set(roots.map((u) => `${u.kind} ${u.name}`))].sort()).toEqual(BLOCKED_BY_ARNS);
    expect([...new Set(roots.map((u) => u.reference))].sort()).toEqual(
      [
        ...Object.values(DEMO_LAMBDAS),
        DEMO_LEX_BOT_ALIAS,
        'arn:aws:lambda:us-east-1:613787477748:function:state-lookup',
      ].sort(),
    );
    expect(roots.find((u) => u.name === 'Post Call Survey' && u.path.startsWith('Saved.'))).toMatchObject({
      path: 'Saved.Actions[4].Parameters.LambdaFunctionARN',
      reference: DEMO_LAMBDAS.surveyResponse,
    });
    expect(unmapped.status).toBe('blocked');
    expect(formatSummary(unmapped)).toContain(`Unresolved references (${roots.length}):`);
  });

  it('does not publish, or create, the flows that hold them, nor what needs those flows', () => {
    const blocked = unmapped.entries.filter((e) => e.blocked).map((e) => `${e.kind} ${e.name}`);
    const flowNames = new Set(targetBetween.documents.flows.map((d) => d.name));

    expect(blocked.sort()).toEqual([...BLOCKED_BY_ARNS, ...NEEDS_BLOCKED_FLOWS].sort());
    for (const name of [
      'Billing Queue Flow',
      'Chat Entry Flow',
      'Main Inbound IVR',
      'Post Call Survey',
      'Support Queue Flow',
    ])
      expect(flowNames.has(name), name).toBe(false);
    expect(targetBetween.documents['flow-modules'].map((d) => d.name)).toEqual(['Holiday Check']);
    expect(targetBetween.documents['quick-connects'].map((d) => d.name)).not.toContain(
      'Customer Satisfaction Survey',
    );
    expect(unmapped.entries.filter((e) => e.outcome === 'failed')).toEqual([]);
  });

  it('restores everything else, leaving out only the links to the blocked quick connect and module', () => {
    const links = unmapped.unresolved.filter((u) => u.cause === 'link-dropped');

    expect(links.map((u) => `${u.kind} ${u.name} ${u.path}`).sort()).toEqual([
      'queues Customer Retention QuickConnectIds',
      'queues Customer Support QuickConnectIds',
      // Team Lead allows the Customer Authentication module, blocked by its Lambda ARN: the profile is
      // restored without it.
      'security-profiles Team Lead AllowedFlowModules',
    ]);
    expect(unmapped.entries.filter((e) => e.kind === 'users' && e.action === 'create').length).toBe(40);
    expect(unmapped.entries.filter((e) => e.kind === 'queues' && e.outcome === 'created').length).toBe(6);
  });

  it('writes no source instance id or source account id into the target', () => {
    const source = instanceNamed(emulator, 'demo-source');
    const everything = targetBetween.texts.join('\n');

    expect(everything).not.toContain(source.id);
    expect(everything).not.toContain('111122223333');
  });

  it('completes once the mapping is given, in overwrite mode', () => {
    expect(completed.status).toBe('succeeded');
    expect(
      completed.entries
        .filter((e) => e.action === 'create')
        .map((e) => `${e.kind} ${e.name}`)
        .sort(),
    ).toEqual(
      BLOCKED_BY_ARNS.filter((e) => !e.startsWith('flows Sample Lambda'))
        .map((e) => e.replace(/:us-east-1:111122223333:/, ':eu-west-2:444455556666:'))
        .concat(NEEDS_BLOCKED_FLOWS)
        .sort(),
    );
    expect(
      completed.entries.filter((e) => e.action === 'update').map((e) => `${e.kind} ${e.name} ${e.changes}`),
    ).toEqual([
      // The first restore (create-missing) left the differing instance attributes alone.
      'instance-attribute CONTACTFLOW_LOGS Value',
      'instance-attribute MULTI_PARTY_CONFERENCE Value',
      'security-profiles Team Lead AllowedFlowModules',
      'queues Customer Retention QuickConnectIds',
      'queues Customer Support QuickConnectIds',
    ]);
  });
});

describe('a restore filtered by kind and name', () => {
  it('blocks a queue whose hours are neither in the target nor selected', () => {
    expect(queuesOnly.entries.map((e) => [e.kind, e.name, e.action, e.reason])).toEqual([
      [
        'queues',
        'Sales',
        'skip',
        'references hours of operation "Sales Hours", which is neither in the target nor selected for this restore',
      ],
    ]);
  });

  it('creates the queue with its hours when both are selected, leaving out links to quick connects the target lacks', () => {
    expect(hoursAndQueues.entries.map((e) => [e.kind, e.name, e.action])).toEqual([
      ['hours-of-operation', 'Sales Hours', 'create'],
      ['queues', 'Sales', 'create'],
    ]);
    expect(hoursAndQueues.unresolved.map((u) => [u.cause, u.path, u.reason])).toEqual([
      [
        'link-dropped',
        'QuickConnectIds',
        'the link to quick connect "Transfer to Billing" is left out: it is neither in the target nor selected for this restore',
      ],
    ]);
  });
});
