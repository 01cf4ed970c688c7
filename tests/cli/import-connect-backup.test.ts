/**
 * `connect-vault import connect-backup`: a tree in connect-backup's format (made from the demo
 * seed's demo-source by tests/support/connect-backup-tree.ts) becomes a snapshot that `verify`
 * passes, `show` lists by name and `plan` restores into demo-target (another account and Region);
 * its manifest warns of what the format never held; a broken tree exits 2 and writes nothing.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListSecurityProfiles } from '@aws-sdk/client-connect';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import {
  latestKey,
  type Manifest,
  manifestKey,
  snapshotObjectKey,
  warningSentence,
} from '#shared/snapshot/format.js';
import type { ConnectEmulator, SeededInstance } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import {
  emulatorClient,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { runCli } from '../support/cli.js';
import { writeConnectBackupTree } from '../support/connect-backup-tree.js';
import { startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let work: string;
let tree: string;
let source: SeededInstance;
let target: SeededInstance;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  source = instanceNamed(emulator, 'demo-source');
  target = instanceNamed(emulator, 'demo-target');
  work = await mkdtemp(join(tmpdir(), 'connect-vault-import-'));
  tree = join(work, 'connect-backup');
  await writeConnectBackupTree(emulatorClient(emulator, source).client, source.id, tree);
  await writeFile(
    join(work, 'credentials'),
    [
      '[source]',
      'aws_access_key_id = AKIAEMULATORSOURCE01',
      'aws_secret_access_key = emulator',
      '[target]',
      'aws_access_key_id = AKIAEMULATORTARGET01',
      'aws_secret_access_key = emulator',
      '[s3]',
      'aws_access_key_id = S3RVER',
      'aws_secret_access_key = S3RVER',
      '',
    ].join('\n'),
  );
  await writeFile(join(work, 'config'), '');
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_REGION'])
    delete process.env[key];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_CONFIG_FILE: join(work, 'config'),
  });
}, 60_000);

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
  await rm(work, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** The resource names of one folder of the tree: its file names without `.json`. */
async function namesIn(kindFolder: string): Promise<string[]> {
  return (await readdir(join(tree, source.id, kindFolder)))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Every file under a folder, relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

async function manifestOf(root: string, snapshotId: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(root, manifestKey('', source.id, snapshotId)), 'utf8')) as Manifest;
}

/** Imports `from` into `out`; returns the run and the snapshot id the quiet output names. */
async function importTree(from: string, out: string, ...extra: string[]) {
  const run = await runCli('import', 'connect-backup', from, '--out', out, '-q', ...extra);
  return { ...run, snapshotId: run.stdout.split(' ')[0] ?? '' };
}

/** The security profiles of an instance, id by name (not in connect-backup's format: mapped). */
async function securityProfiles(instance: SeededInstance): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of paginateListSecurityProfiles(
    { client: emulatorClient(emulator, instance).client },
    { InstanceId: instance.id },
  ))
    for (const p of page.SecurityProfileSummaryList ?? []) out.set(p.Name ?? '', p.Id ?? '');
  return out;
}

describe('connect-vault import connect-backup', () => {
  let out: string;
  let snapshotId: string;

  beforeAll(async () => {
    out = join(work, 'vault');
    const run = await importTree(tree, out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    snapshotId = run.snapshotId;
  });

  it('writes a snapshot that verify passes, latest.json names, and show lists by name', async () => {
    const verify = await runCli('verify', '--from', out, '--instance-id', source.id);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`snapshot ${snapshotId}: intact`);
    const latest = JSON.parse(await readFile(join(out, latestKey('', source.id)), 'utf8'));
    expect(latest.snapshotId).toBe(snapshotId);

    const show = await runCli('show', 'latest', '--from', out, '--instance-id', source.id, '--json');
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout) as { kinds: Record<string, Array<{ name: string }>> };
    const names = (kind: string) => (shown.kinds[kind] ?? []).map((r) => r.name).sort();
    expect(names('flows')).toEqual(await namesIn('flows'));
    expect(names('queues')).toEqual(await namesIn('queues'));
    expect(names('users')).toEqual(await namesIn('users'));
    expect(names('routing-profiles')).toEqual(await namesIn('routing-profiles'));
    expect(names('hours-of-operation')).toEqual(await namesIn('hours-of-operation'));
    expect(names('user-hierarchy-groups')).toEqual(await namesIn('user-hierarchy-groups'));
    const prompts = JSON.parse(
      await readFile(join(tree, source.id, 'prompts', 'prompts.json'), 'utf8'),
    ) as Array<{ Name: string }>;
    expect(names('prompts')).toEqual(prompts.map((p) => p.Name).sort());
    expect(names('flows').length).toBeGreaterThan(10);
  });

  it('stores what restore needs: routing profiles with their queue configs, flows with their raw content', async () => {
    const manifest = await manifestOf(out, snapshotId);
    const profile = manifest.objects.find(
      (o) => o.kind === 'routing-profiles' && o.name === 'Support Agents',
    );
    const document = JSON.parse(
      await readFile(join(out, snapshotObjectKey('', source.id, snapshotId, profile?.key ?? '')), 'utf8'),
    ) as { related: { queueConfigs: Array<{ QueueName: string }> } };
    const listed = JSON.parse(
      await readFile(join(tree, source.id, 'routing-profile-queues', `${profile?.id}.json`), 'utf8'),
    ) as Array<{ QueueName: string }>;
    expect(document.related.queueConfigs.map((c) => c.QueueName).sort()).toEqual(
      listed.map((c) => c.QueueName).sort(),
    );
    expect(listed.length).toBeGreaterThan(0);
    const flows = manifest.objects.filter((o) => o.kind === 'flows').length;
    expect(manifest.objects.filter((o) => o.kind === 'flows-raw')).toHaveLength(flows);
    // Imported documents carry no change signal: the next backup reads every resource again.
    expect(manifest.objects.filter((o) => o.signal !== undefined)).toEqual([]);
    expect(manifest.kinds.byKind).toBeUndefined();
  });

  it('lists in the manifest what the old format never held, and leaves those kinds out', async () => {
    const manifest = await manifestOf(out, snapshotId);
    const warnings = manifest.warnings.map(warningSentence).join('\n');
    expect(warnings).toContain(`imported from connect-backup tree ${tree}/${source.id}/`);
    expect(warnings).toMatch(/unpublished changes \(drafts\)/);
    expect(warnings).toMatch(/queues: no quick-connect links/);
    expect(warnings).toMatch(/quick-connects: left out \(\d+ in the tree\)/);
    expect(warnings).toMatch(/prompts: .*no audio/);
    expect(warnings).toMatch(/security-profiles: not in connect-backup's format/);
    expect(warnings).toMatch(/flow modules, agent statuses/);
    // The flow that invokes modules (the demo's Main Inbound IVR) is named, with the ids to map.
    expect(warnings).toMatch(/flows [0-9a-f-]+: "Main Inbound IVR" invokes flow module\(s\) [0-9a-f-]+/);
    expect(Object.keys(manifest.counts).sort()).toEqual(
      [
        'flows',
        'hours-of-operation',
        'prompts',
        'queues',
        'routing-profiles',
        'user-hierarchy-groups',
        'user-hierarchy-structure',
        'users',
      ].sort(),
    );
    expect(manifest.objects.some((o) => o.kind === 'quick-connects' || o.kind === 'security-profiles')).toBe(
      false,
    );
  });

  it('plans a restore into demo-target (another account and Region) that creates what the format holds', async () => {
    // Users name security profiles, which connect-backup never stored: map them by name.
    const from = await securityProfiles(source);
    const to = await securityProfiles(target);
    const ids = Object.fromEntries(
      [...from].filter(([name]) => to.has(name)).map(([name, id]) => [id, to.get(name) ?? '']),
    );
    await writeFile(
      join(work, 'mapping.json'),
      JSON.stringify({
        accounts: { '111122223333': '444455556666' },
        regions: { 'us-east-1': 'eu-west-2' },
        ids,
      }),
    );
    emulator.resetStats();
    const plan = await runCli(
      'plan',
      '--from',
      out,
      '--source-instance-id',
      source.id,
      '--target-instance-id',
      target.id,
      '--region',
      'us-east-1',
      '--profile',
      'source',
      '--target-region',
      'eu-west-2',
      '--target-profile',
      'target',
      '--endpoint-url',
      emulator.endpoint,
      '--rate-factor',
      '100',
      '-q',
      '--mapping',
      join(work, 'mapping.json'),
    );
    const mutating = Object.entries(emulator.stats().operations).filter(([op]) => isMutating(op));
    expect(mutating.reduce((n, [, s]) => n + s.calls, 0)).toBe(0);
    const report = JSON.parse(plan.stdout) as RestoreReport;
    const of = (kind: string) => report.entries.filter((e) => e.kind === kind);
    for (const kind of [
      'flows',
      'queues',
      'routing-profiles',
      'hours-of-operation',
      'user-hierarchy-groups',
    ]) {
      expect(
        of(kind).filter((e) => e.blocked),
        kind,
      ).toEqual([]);
      expect(
        of(kind).some((e) => e.action === 'create'),
        kind,
      ).toBe(true);
    }
    // Nothing is blocked for a member the format has: only users holding a security profile the
    // target lacks (security profiles were never in connect-backup's format, so none is created).
    const unmapped = new Set([...from].filter(([name]) => !to.has(name)).map(([, id]) => id));
    expect(unmapped.size).toBeGreaterThan(0);
    const blocked = report.entries.filter((e) => e.blocked);
    for (const entry of blocked) {
      expect(entry.kind, entry.name).toBe('users');
      const references = report.unresolved.filter((u) => u.sourceId === entry.sourceId);
      expect(references.length, entry.name).toBeGreaterThan(0);
      for (const u of references)
        expect(unmapped.has(u.reference), `${entry.name}: ${u.reference}`).toBe(true);
    }
    // Exactly the users of the tree holding such a profile are blocked; every other one is planned.
    const users = await Promise.all(
      (await namesIn('users')).map(async (name) => ({
        name,
        ...(JSON.parse(await readFile(join(tree, source.id, 'users', `${name}.json`), 'utf8')) as {
          SecurityProfileIds: string[];
        }),
      })),
    );
    const lacking = users
      .filter((u) => u.SecurityProfileIds.some((id) => unmapped.has(id)))
      .map((u) => u.name);
    expect(blocked.map((e) => e.name).sort()).toEqual(lacking.sort());
    expect(
      of('users')
        .filter((e) => !e.blocked)
        .map((e) => e.name)
        .sort(),
    ).toEqual(
      users
        .map((u) => u.name)
        .filter((n) => !lacking.includes(n))
        .sort(),
    );
    expect(
      of('users').filter((e) => !e.blocked && e.action !== 'create' && e.action !== 'unchanged'),
    ).toEqual([]);
    expect(report.entries.some((e) => e.kind === 'quick-connects' || e.kind === 'security-profiles')).toBe(
      false,
    );
    expect(plan.code).toBe(blocked.length ? 1 : 0);
  });
  it("plans an overwrite of demo-source itself that leaves its queues' quick connects linked", async () => {
    // The queues' quick-connect links were never in the tree: restore must not read that as "none".
    const plan = await runCli(
      'plan',
      '--from',
      out,
      '--source-instance-id',
      source.id,
      '--region',
      'us-east-1',
      '--profile',
      'source',
      '--endpoint-url',
      emulator.endpoint,
      '--rate-factor',
      '100',
      '-q',
      '--mode',
      'overwrite',
    );
    const report = JSON.parse(plan.stdout) as RestoreReport;
    const queues = report.entries.filter((e) => e.kind === 'queues');
    expect(queues.length).toBeGreaterThan(0);
    expect(queues.filter((e) => e.changes?.includes('QuickConnectIds'))).toEqual([]);
    expect(queues.filter((e) => e.action === 'create')).toEqual([]);
  });
});

describe('connect-vault import connect-backup, what the old tool lost', () => {
  it('warns per routing profile whose queue configs lost pages, and per kind without tags', async () => {
    const lossy = join(work, 'lossy');
    // One queue config a page: connect-backup kept only each profile's last page.
    await writeConnectBackupTree(emulatorClient(emulator, source).client, source.id, lossy, {
      routingProfileQueuesPageSize: 1,
    });
    for (const file of await readdir(join(lossy, source.id, 'queues'))) {
      const path = join(lossy, source.id, 'queues', file);
      const { Tags: _tags, ...queue } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      await writeFile(path, JSON.stringify(queue));
    }
    const out = join(work, 'lossy-out');

    const run = await importTree(lossy, out);

    expect(run.code).toBe(0);
    const manifest = await manifestOf(out, run.snapshotId);
    const warnings = manifest.warnings.map(warningSentence);
    const profiles = manifest.objects.filter((o) => o.kind === 'routing-profiles');
    let truncated = 0;
    for (const profile of profiles) {
      const described = JSON.parse(
        await readFile(join(lossy, source.id, 'routing-profiles', `${profile.name}.json`), 'utf8'),
      ) as { NumberOfAssociatedQueues: number };
      const warned = warnings.some((w) =>
        w.startsWith(
          `routing-profiles ${profile.id}: "${profile.name}": 1 of its ${described.NumberOfAssociatedQueues} queue configs`,
        ),
      );
      expect(warned, profile.name).toBe(described.NumberOfAssociatedQueues > 1);
      if (warned) truncated += 1;
    }
    expect(truncated).toBeGreaterThan(0);
    const untagged = /^tags: none in the tree for ([^(]+) \(/.exec(
      warnings.find((w) => w.startsWith('tags:')) ?? '',
    );
    // Queues lost theirs here; prompts never had any (a PromptSummary has no Tags); users kept theirs.
    expect(untagged?.[1]?.split(', ')).toEqual(['prompts', 'queues']);
  });

  it('reads a tree from S3 (ListObjectsV2) and writes the snapshot to a bucket', async () => {
    const s3 = await startS3rver();
    try {
      const files = await filesUnder(tree);
      for (const file of files) {
        await s3.client().send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key: `connect-backup/${file}`,
            Body: await readFile(join(tree, file)),
          }),
        );
      }
      const s3Options = ['--region', 'us-east-1', '--s3-profile', 's3', '--s3-endpoint-url', s3.endpoint];
      const run = await runCli(
        'import',
        'connect-backup',
        `s3://${s3.bucket}/connect-backup`,
        '--bucket',
        s3.bucket,
        '--prefix',
        'vault',
        ...s3Options,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Imported s3://${s3.bucket}/connect-backup/${source.id}/ as snapshot`);
      expect(run.stdout).toContain('latest.json names it');
      const verify = await runCli(
        'verify',
        '--from',
        `s3://${s3.bucket}/vault`,
        '--instance-id',
        source.id,
        ...s3Options,
      );
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/: intact, \d+ objects checked/);

      // A second import keeps latest.json on the first: an old tree never replaces a newer snapshot.
      const again = await runCli(
        'import',
        'connect-backup',
        `s3://${s3.bucket}/connect-backup`,
        '--bucket',
        s3.bucket,
        '--prefix',
        'vault',
        ...s3Options,
      );
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(
        /latest\.json kept: it names snapshot \S+; restore this one with --snapshot /,
      );
    } finally {
      await s3.close();
    }
  });
});

describe('connect-vault import connect-backup, bad input', () => {
  it('exits 2 naming a file that is not JSON, and writes nothing', async () => {
    const broken = join(work, 'broken');
    await cp(tree, broken, { recursive: true });
    const queue = (await readdir(join(broken, source.id, 'queues')))[0] ?? '';
    await writeFile(join(broken, source.id, 'queues', queue), '{"QueueId": "x", ');
    const out = join(work, 'broken-out');

    const run = await importTree(broken, out);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${source.id}/queues/${queue} is not valid JSON`);
    expect(run.stderr).toContain('nothing was written');
    expect(await filesUnder(out).catch(() => [])).toEqual([]);
  });

  it('exits 2 naming a file without its resource id, and writes nothing', async () => {
    const broken = join(work, 'no-id');
    await cp(tree, broken, { recursive: true });
    const user = (await readdir(join(broken, source.id, 'users')))[0] ?? '';
    const path = join(broken, source.id, 'users', user);
    const { Id: _id, ...rest } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(rest));
    const out = join(work, 'no-id-out');

    const run = await importTree(broken, out);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${source.id}/users/${user} is not a connect-backup User (DescribeUser) (Id:`,
    );
    expect(await filesUnder(out).catch(() => [])).toEqual([]);
  });

  it('exits 2 when the tree holds several instances and none is picked; --instance-id picks one', async () => {
    const several = join(work, 'several');
    await cp(join(tree, source.id), join(several, source.id), { recursive: true });
    await cp(join(tree, source.id), join(several, 'another-instance'), { recursive: true });

    const ambiguous = await importTree(several, join(work, 'several-out'));
    const mismatched = await importTree(
      several,
      join(work, 'several-out'),
      '--instance-id',
      'another-instance',
    );
    const picked = await importTree(several, join(work, 'several-out'), '--instance-id', source.id);

    expect(ambiguous.code).toBe(2);
    const ids = [source.id, 'another-instance'].sort();
    expect(ambiguous.stderr).toContain(
      `holds 2 instance folders (${ids.join(', ')}): pick one with --instance-id`,
    );
    expect(mismatched.code).toBe(2);
    expect(mismatched.stderr).toContain(`describes instance ${source.id}, not another-instance`);
    expect(picked.code).toBe(0);
    expect(picked.stdout).toContain(picked.snapshotId);
  });

  it('exits 2 for a source folder that does not exist; its help gives the exit codes', async () => {
    const missing = await runCli('import', 'connect-backup', join(work, 'nothing-here'), '--out', work);
    const help = await runCli('import', 'connect-backup', '--help');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `connect-vault: No folder ${join(work, 'nothing-here')}: give s3://bucket/prefix or an existing folder.\n`,
    );
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: connect-vault import connect-backup [options] <source>');
    expect(help.stdout).toContain('Exit codes (every command):');
  });

  it('exits 2 without a destination, or with two', async () => {
    const none = await runCli('import', 'connect-backup', tree);
    const two = await runCli('import', 'connect-backup', tree, '--out', work, '--bucket', 'b');
    expect([none.code, two.code]).toEqual([2, 2]);
    expect(none.stderr).toContain('Choose exactly one destination');
  });
});
