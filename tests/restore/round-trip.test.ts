/**
 * The round trip of the issue: back up demo-source, restore it into demo-target (another account
 * and Region) with a mapping that rewrites the source account and Region in Lambda and Lex ARNs,
 * back up demo-target, and compare the two snapshots kind by kind once ids, ARNs and timestamps are
 * normalised. Then the same restore again, which must plan zero changes; then in mode overwrite,
 * which sets the instance attributes create-missing leaves alone, and once more, which writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import { restoreReportKey } from '#shared/snapshot/format.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_APPROVED_ORIGINS, DEMO_INSTANCE_ATTRIBUTES } from '../emulator/seeds/demo.js';
import { DEMO_LAMBDAS, DEMO_LEX_BOT_ALIAS } from '../emulator/seeds/demo-flows.js';
import {
  backupOf,
  CREATED_KINDS,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  normalizedSnapshot,
  recordingLogger,
  runRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

const PREFIX = 'vault';
const PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/;

let emulator: ConnectEmulator;
let folder: TempFolder;
let report: RestoreReport;
let second: RestoreReport;
let overwrite: RestoreReport;
let overwriteAgain: RestoreReport;
const logger = recordingLogger();
const passwords: string[] = [];
let source: Awaited<ReturnType<typeof snapshotDocuments>>;
let targetBefore: Awaited<ReturnType<typeof snapshotDocuments>>;
let targetAfter: Awaited<ReturnType<typeof snapshotDocuments>>;
let storedReport: string;
/** Successful calls per operation of the target client, over both restores and of the first. */
const succeeded: Record<string, number> = {};
let firstSucceeded: Record<string, number> = {};

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const demoSource = instanceNamed(emulator, 'demo-source');
  const demoTarget = instanceNamed(emulator, 'demo-target');
  const sourceSnapshot = await backupOf(emulator, demoSource, folder.store, PREFIX);
  const targetSnapshotBefore = await backupOf(emulator, demoTarget, folder.store, PREFIX);
  const request = {
    source: { folder: folder.root, prefix: PREFIX, instanceId: demoSource.id },
    target: { instanceId: demoTarget.id },
    mappings: CROSS_ACCOUNT_MAPPING,
  };
  const ports = () => {
    const target = emulatorClient(emulator, demoTarget);
    // What the SDK sends in CreateUser, the only place a password may ever be; and which calls
    // succeed (a write naming a resource created moments ago may be sent again while it propagates).
    target.client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        succeeded[operation] = (succeeded[operation] ?? 0) + 1;
        const password = (args.input as { Password?: string }).Password;
        if (operation === 'CreateUser' && password) passwords.push(password);
        return output;
      },
      { step: 'initialize', name: 'captureSuccesses' },
    );
    return {
      source: folder.store,
      targetConnect: target.client,
      targetStats: target.stats,
      sourceConnect: emulatorClient(emulator, demoSource).client,
      reportStore: folder.store,
      logger,
    };
  };
  report = await runRestore(request, ports());
  firstSucceeded = { ...succeeded };
  // Search shows the restore's writes once they have propagated (a person runs it again later).
  emulator.propagation.settle();
  second = await runRestore(request, ports());
  overwrite = await runRestore({ ...request, mode: 'overwrite' }, ports());
  overwriteAgain = await runRestore({ ...request, mode: 'overwrite' }, ports());
  const targetSnapshotAfter = await backupOf(emulator, demoTarget, folder.store, PREFIX);

  source = await snapshotDocuments(folder.store, PREFIX, demoSource.id, sourceSnapshot);
  targetBefore = await snapshotDocuments(folder.store, PREFIX, demoTarget.id, targetSnapshotBefore);
  targetAfter = await snapshotDocuments(folder.store, PREFIX, demoTarget.id, targetSnapshotAfter);
  const key = restoreReportKey(PREFIX, demoTarget.id, report.restoreId);
  storedReport = new TextDecoder().decode(await folder.store.get(key));
}, 90_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('restoring demo-source into demo-target (another account and Region)', () => {
  it('creates what the target lacks and matches its default resources by name', () => {
    for (const kind of CREATED_KINDS) {
      const present = new Set(targetBefore.documents[kind].map((d) => d.name));
      const names = source.documents[kind].map((d) => d.name);
      const entries = report.entries.filter((e) => e.kind === kind);
      const singleton = kind === 'user-hierarchy-structure';
      expect(
        entries
          .filter((e) => e.action === 'create')
          .map((e) => e.name)
          .sort(),
        kind,
      ).toEqual(singleton ? ['user hierarchy structure'] : names.filter((n) => !present.has(n)).sort());
      expect(
        entries
          .filter((e) => e.action === 'unchanged')
          .map((e) => e.name)
          .sort(),
        kind,
      ).toEqual(singleton ? [] : names.filter((n) => present.has(n)).sort());
    }
    expect(report.counts.update).toBe(0);
    // Phone numbers are claimed, not created: without mappings.phoneNumbers each is skipped, reported.
    const numbers = report.entries.filter((e) => e.kind === 'phone-numbers');
    expect(numbers.map((e) => e.name).sort()).toEqual(
      source.documents['phone-numbers'].map((d) => d.name).sort(),
    );
    expect(numbers.every((e) => e.action === 'skip' && !e.blocked)).toBe(true);
    // create-missing changes no existing setting: the attributes demo-source changed wait for overwrite.
    expect(
      report.entries
        .filter((e) => e.action === 'skip' && e.kind !== 'phone-numbers')
        .map((e) => `${e.kind} ${e.name}`),
    ).toEqual(Object.keys(DEMO_INSTANCE_ATTRIBUTES).map((type) => `instance-attribute ${type}`));
    expect(report.counts.skip).toBe(numbers.length + Object.keys(DEMO_INSTANCE_ATTRIBUTES).length);
    expect(report.entries.filter((e) => e.blocked)).toEqual([]);
    expect(
      report.entries.filter((e) => e.kind === 'approved-origin').map((e) => [e.name, e.action, e.outcome]),
    ).toEqual(DEMO_APPROVED_ORIGINS.map((origin) => [origin, 'create', 'created']));
    expect(report.unresolved).toEqual([]);
    expect(report.status).toBe('succeeded');
    expect(report.entries.filter((e) => e.outcome === 'failed')).toEqual([]);
  });

  it('leaves demo-target equal to demo-source, kind by kind, once ids, ARNs and timestamps are normalised', () => {
    const a = normalizedSnapshot(source.documents, instanceNamed(emulator, 'demo-source'));
    const b = normalizedSnapshot(targetAfter.documents, instanceNamed(emulator, 'demo-target'));

    for (const kind of CREATED_KINDS) {
      expect(targetAfter.documents[kind].length, kind).toBe(source.documents[kind].length);
      expect(b[kind], kind).toEqual(a[kind]);
    }
  });

  it('associates the Lambda functions and the Lex bot with their account and Region rewritten', () => {
    const rewrite = (arn: string) => arn.replace(':us-east-1:111122223333:', ':eu-west-2:444455556666:');

    expect([...(targetAfter.instance.lambdaFunctions as string[])].sort()).toEqual(
      Object.values(DEMO_LAMBDAS).map(rewrite).sort(),
    );
    expect(targetAfter.instance.lexV2BotAliases).toEqual([rewrite(DEMO_LEX_BOT_ALIAS)]);
  });

  it('leaves no demo-source instance id, account id or ARN anywhere in demo-target', () => {
    const demoSource = instanceNamed(emulator, 'demo-source');
    const everything = targetAfter.texts.join('\n');

    expect(targetAfter.texts.length).toBeGreaterThan(100);
    expect(everything).not.toContain(demoSource.id);
    expect(everything).not.toContain('111122223333');
    expect(everything).not.toContain(demoSource.arn);
  });

  it('writes routing-profile queue configs 10 per call: Supervisors has 12', () => {
    const supervisors = source.documents['routing-profiles'].find((d) => d.name === 'Supervisors');

    expect(supervisors?.related?.queueConfigs).toHaveLength(12);
    expect(firstSucceeded.CreateRoutingProfile).toBe(4);
    expect(firstSucceeded.AssociateRoutingProfileQueues).toBe(1);
    expect(firstSucceeded.AssociateQueueQuickConnects).toBe(6);
    expect(firstSucceeded.CreateUser).toBe(40);
    // apiCalls counts every attempt, retries of not-yet-propagated references included.
    expect(report.apiCalls.CreateUser).toBeGreaterThanOrEqual(40);
  });

  it('creates the predefined attributes and associates every user proficiency, one call per user', () => {
    const proficiencies = (snapshot: typeof source) =>
      Object.fromEntries(
        snapshot.documents.users
          .filter((d) => (d.related?.proficiencies as unknown[] | undefined)?.length)
          .map((d) => [d.name, d.related?.proficiencies]),
      );

    expect(targetAfter.documents['predefined-attributes'].map((d) => d.name).sort()).toEqual([
      'Certification',
      'Language',
    ]);
    expect(Object.keys(proficiencies(source)).length).toBe(3);
    expect(proficiencies(targetAfter)).toEqual(proficiencies(source));
    expect(firstSucceeded.CreatePredefinedAttribute).toBe(2);
    expect(firstSucceeded.AssociateUserProficiencies).toBe(3);
  });

  it('plans zero changes when the same restore runs again', () => {
    const skipped = report.counts.skip;
    expect(second.counts).toEqual({
      create: 0,
      update: 0,
      unchanged: report.entries.length - skipped,
      skip: skipped,
    });
    expect(second.apiCalls).not.toHaveProperty('CreateUser');
    expect(Object.keys(second.apiCalls).filter((op) => !/^(Describe|Get|List|Search)/.test(op))).toEqual([]);
  });

  it('sets the differing instance attributes in mode overwrite, and then writes nothing', () => {
    // The unmapped phone numbers stay skipped, in every mode.
    const numbers = overwrite.entries.filter((e) => e.kind === 'phone-numbers').length;
    expect(
      overwrite.entries
        .filter((e) => e.action !== 'unchanged' && e.kind !== 'phone-numbers')
        .map((e) => [e.kind, e.name, e.outcome]),
    ).toEqual(Object.keys(DEMO_INSTANCE_ATTRIBUTES).map((type) => ['instance-attribute', type, 'updated']));
    expect(overwrite.apiCalls.UpdateInstanceAttribute).toBe(Object.keys(DEMO_INSTANCE_ATTRIBUTES).length);
    expect(overwriteAgain.counts).toEqual({
      create: 0,
      update: 0,
      unchanged: overwriteAgain.entries.length - numbers,
      skip: numbers,
    });
    // Reads only (overwrite also reads the target's prompt audio with GetPromptFile to compare it).
    expect(
      Object.keys(overwriteAgain.apiCalls).filter((op) => !/^(Describe|List|Search|Get)/.test(op)),
    ).toEqual([]);
  });

  it("holds demo-source's instance attributes and approved origins in demo-target", () => {
    expect(targetAfter.instance.attributes).toEqual(source.instance.attributes);
    expect(source.instance.attributes).toMatchObject(DEMO_INSTANCE_ATTRIBUTES);
    expect([...(targetAfter.instance.approvedOrigins as string[])].sort()).toEqual(
      [...DEMO_APPROVED_ORIGINS].sort(),
    );
  });

  it("restores Team Lead's applications, hierarchy restriction and allowed flow module, remapped", () => {
    const byName = (documents: typeof source.documents, kind: keyof typeof source.documents, name: string) =>
      documents[kind].find((d) => d.name === name) ?? expect.fail(`no ${kind} ${name}`);
    const before = byName(source.documents, 'security-profiles', 'Team Lead');
    const after = byName(targetAfter.documents, 'security-profiles', 'Team Lead');
    const module = byName(targetAfter.documents, 'flow-modules', 'Customer Authentication');
    const group = byName(targetAfter.documents, 'user-hierarchy-groups', 'North America');

    expect(before.related?.applications).toHaveLength(1);
    expect(after.related?.applications).toEqual(before.related?.applications);
    expect(after.related?.allowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: module.id }]);
    expect(after.resource.HierarchyRestrictedResources).toEqual(['User']);
    expect(after.resource.AllowedAccessControlHierarchyGroupId).toBe(group.id);
  });

  it('gives every new user a random password that appears in no report, log or snapshot', () => {
    const created = report.entries.filter((e) => e.kind === 'users' && e.action === 'create');

    expect(passwords.length).toBe(created.length);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const password of passwords) expect(password).toMatch(PASSWORD_RULE);
    expect(report.passwordResets.map((u) => u.username).sort()).toEqual(created.map((e) => e.name).sort());
    const outputs = [
      storedReport,
      JSON.stringify(report),
      JSON.stringify(second),
      ...logger.lines,
      ...targetAfter.texts,
    ];
    for (const password of passwords) {
      for (const output of outputs) expect(output.includes(password)).toBe(false);
    }
  });

  it('writes the report next to the target instance’s snapshots', () => {
    const stored = JSON.parse(storedReport) as RestoreReport;

    expect(stored.restoreId).toBe(report.restoreId);
    expect(stored.entries).toEqual(report.entries);
    expect(stored.passwordResets).toEqual(report.passwordResets);
    expect(report.reportLocation).toBe(
      `${folder.root}/${restoreReportKey(PREFIX, instanceNamed(emulator, 'demo-target').id, report.restoreId)}`,
    );
  });
});
