/**
 * The IAM roles against the Connect operations the code really sends: a demo backup (full, then
 * incremental) and the backup function's doctor mode (its Connect checks), and a demo restore (overwrite, across accounts) run against the emulator, which
 * counts every operation it receives. Each operation sent must be allowed as `connect:<Operation>`
 * by the role of the function that sent it, and a role may list a Connect action the demo run never
 * sends only when a kind declares it (an update path the demo restore does not take: demo-target
 * starts without the source's resources, so they are created, not updated) or ALLOWANCE says why.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConnect } from '#shared/doctor/doctor.js';
import { KINDS } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  restoreIntoDemoTarget,
  runBackup,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { cfnTags } from '../support/cloudformation.js';

/** The Connect actions a role in infra/iam.yml allows. */
function connectActionsOf(role: string): Set<string> {
  const doc = parse(readFileSync('infra/iam.yml', 'utf8'), { customTags: cfnTags }) as {
    Resources: Record<
      string,
      {
        Properties: {
          Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[] }> } }>;
        };
      }
    >;
  };
  const resource = doc.Resources[role];
  if (!resource) throw new Error(`no role ${role} in infra/iam.yml`);
  return new Set(
    resource.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement)
      .flatMap((s) => [s.Action].flat())
      .filter((action) => action.startsWith('connect:')),
  );
}

/**
 * Operations whose IAM action is not `connect:<Operation>`. Empty: Connect's actions are named
 * after its API operations ("Actions, resources, and condition keys for Amazon Connect",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_connect.html); an entry
 * goes here, with its source, if that reference maps an operation to another action.
 */
const ACTION_OF: Record<string, string> = {};
const actionOf = (operation: string) => ACTION_OF[operation] ?? `connect:${operation}`;

/**
 * Connect actions a role may list although the demo run does not send them and no kind declares
 * them, each with the reason. Empty today.
 */
const ALLOWANCE: Record<string, Record<string, string>> = {
  BackupInstanceRole: {
    'connect:ListInstances':
      'a connect-backup event without ConnectInstanceId backs up every instance (tests/functions/backup-instance-connect-backup.test.ts)',
  },
  RestoreRole: {},
};

/** The Connect actions the kinds declare for a role: reads for both, writes for the restore. */
function declaredBy(role: string): Set<string> {
  return new Set(
    KINDS.flatMap((kind) => [
      ...kind.readOperations,
      ...(role === 'RestoreRole'
        ? [...(kind.restore?.writeOperations ?? []), ...(kind.restore?.remove?.writeOperations ?? [])]
        : []),
    ]).map(actionOf),
  );
}

/** Operations the emulator counted between two stats snapshots. */
function sentBetween(before: Record<string, { calls: number }>, after: Record<string, { calls: number }>) {
  return new Set(
    Object.entries(after)
      .filter(([operation, stats]) => stats.calls > (before[operation]?.calls ?? 0))
      .map(([operation]) => operation),
  );
}

let emulator: ConnectEmulator;
let folder: TempFolder;
let backupSent: Set<string>;
let restoreSent: Set<string>;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const source = instanceNamed(emulator, 'demo-source');
  const start = emulator.stats().operations;
  await backupOf(emulator, source, folder.store, 'vault');
  // The nightly run: incremental, with its change-detection calls.
  await runBackup(emulatorClient(emulator, source), folder.store, source.id, {
    prefix: 'vault',
    full: false,
  });
  // The doctor mode of the same function (the bucket checks send no Connect call).
  await checkConnect({ connect: emulatorClient(emulator, source).client, instanceId: source.id });
  const backedUp = emulator.stats().operations;
  backupSent = sentBetween(start, backedUp);
  const report = await restoreIntoDemoTarget(emulator, folder, {
    mode: 'overwrite',
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  const troubled = report.entries.filter(
    (e) => e.blocked || (e.outcome && !['created', 'updated', 'unchanged', 'skipped'].includes(e.outcome)),
  );
  expect(report.status, JSON.stringify(troubled, null, 1).slice(0, 3000)).toBe('succeeded');
  restoreSent = sentBetween(backedUp, emulator.stats().operations);
}, 240_000);

afterAll(async () => {
  if (emulator) await stopEmulatorAndFolder(emulator, folder);
});

describe.each([
  ['BackupInstanceRole', () => backupSent],
  ['RestoreRole', () => restoreSent],
] as const)('%s against the operations its function sends', (role, sent) => {
  it('allows every Connect operation sent', () => {
    const allowed = connectActionsOf(role);
    expect(sent().size).toBeGreaterThan(10);
    const missing = [...sent()].map(actionOf).filter((action) => !allowed.has(action));
    expect(missing).toEqual([]);
  });

  it('lists no Connect action the code does not send, beyond what the kinds declare and the allowance', () => {
    const used = new Set([...sent()].map(actionOf));
    const declared = declaredBy(role);
    const unexplained = [...connectActionsOf(role)]
      .filter((action) => !used.has(action) && !declared.has(action))
      .sort();
    expect(unexplained).toEqual(Object.keys(ALLOWANCE[role] ?? {}).sort());
  });

  it('allows no action the service authorization reference does not list', () => {
    // UpdateUserConfig is an API operation with no IAM action of its name (issue 8; IAM Access
    // Analyzer answers "The action connect:UpdateUserConfig does not exist."), so no role names it
    // and restore does not send it.
    expect(connectActionsOf(role).has('connect:UpdateUserConfig')).toBe(false);
    expect(sent().has('UpdateUserConfig')).toBe(false);
  });
});
