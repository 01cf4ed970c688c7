/**
 * The nightly backup end to end: the real handlers (middy, Powertools), the real SDK clients, the
 * Connect emulator's demo seed with Connect's default quotas sped up, s3rver, a local bus and the
 * backup queue's FIFO model behind a local SQS endpoint.
 */

import { ConnectClient, DescribeContactFlowCommand } from '@aws-sdk/client-connect';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_NAMES, type StoredDocument } from '#shared/kinds/index.js';
import type { InstanceDocument } from '#shared/kinds/instance.js';
import { latestKey, type Manifest, manifestKey, sha256Hex } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { verifySnapshot } from '#shared/snapshot/verify.js';
import { DEMO_APPROVED_ORIGINS, DEMO_INSTANCE_ATTRIBUTES } from '../emulator/seeds/demo.js';
import { ADMIN_PASSWORD } from '../emulator/seeds/new-instance.js';
import { describeEverything } from '../support/connect-truth.js';
import { drainWithLambda } from '../support/fifo-queue.js';
import { lambdaContext } from '../support/lambda-context.js';
import {
  LOCAL_ACCOUNT,
  LOCAL_BUCKET,
  LOCAL_PREFIX,
  LOCAL_REGION,
  type LocalStack,
  startLocalStack,
} from '../support/local-stack.js';

let stack: LocalStack;
let instanceId: string;
let manifest: Manifest;
let requested: string[];
/** The snapshot's objects as stored (prompt audio is binary). */
const objects = new Map<string, Buffer>();
/** An object of the snapshot as text (JSON documents). */
const textOf = (key: string) => objects.get(key)?.toString('utf8') ?? '';

async function getBytes(key: string): Promise<Buffer> {
  const out = await stack.s3.client().send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

async function getText(key: string): Promise<string> {
  return (await getBytes(key)).toString('utf8');
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 'demo', throttle: { timeScale: 20 } });
  Object.assign(process.env, stack.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  instanceId = stack.emulator.instances.find((i) => i.alias === 'demo-source')?.id ?? '';

  const { handler: schedule } = await import('../../functions/schedule-backups/handler.js');
  const { handler: backup } = await import('../../functions/backup-instance/handler.js');
  requested = (await schedule({}, lambdaContext('scheduleBackups'))).requested;
  // The backup queue's messages, as Lambda's SQS event source mapping delivers them.
  const invocations = await drainWithLambda(stack.sqs.queue, (event) =>
    backup(event, lambdaContext('backupInstance')),
  );
  if (invocations.some((i) => i.outcome !== 'deleted')) throw new Error(JSON.stringify(invocations));

  const latest = JSON.parse(await getText(latestKey(LOCAL_PREFIX, instanceId))) as { snapshotId: string };
  manifest = JSON.parse(await getText(manifestKey(LOCAL_PREFIX, instanceId, latest.snapshotId))) as Manifest;
  const folder = manifestKey(LOCAL_PREFIX, instanceId, manifest.snapshotId).replace(/manifest\.json$/, '');
  let token: string | undefined;
  do {
    const page = await stack.s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET, Prefix: folder, ContinuationToken: token }));
    for (const o of page.Contents ?? [])
      objects.set((o.Key ?? '').slice(folder.length), await getBytes(o.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

function documentsOf(kind: string): StoredDocument[] {
  return manifest.objects
    .filter((o) => o.kind === kind)
    .map((o) => JSON.parse(textOf(o.key) || 'null') as StoredDocument);
}

describe('the nightly backup of demo-source', () => {
  it('schedules exactly the instances of the account and writes one snapshot for it', () => {
    expect(requested).toEqual([instanceId]);
    expect(manifest.instance).toEqual({
      id: instanceId,
      arn: `arn:aws:connect:us-east-1:111122223333:instance/${instanceId}`,
      alias: 'demo-source',
      region: 'us-east-1',
      accountId: '111122223333',
    });
    expect(manifest.kinds.read).toEqual([...KIND_NAMES]);
  });

  it('stores every resource the emulator holds exactly once, equal to what the API returns', async () => {
    const connect = new ConnectClient({
      endpoint: stack.emulator.endpoint,
      region: LOCAL_REGION,
      credentials: stack.emulator.credentials(LOCAL_ACCOUNT),
    });
    stack.emulator.throttler.reset();
    const truth = await describeEverything(connect, instanceId);

    for (const kind of KIND_NAMES) {
      const stored = documentsOf(kind);
      const expected = truth[kind];
      expect(new Set(stored.map((d) => d.id)).size, kind).toBe(stored.length);
      expect(manifest.counts[kind], kind).toBe(expected.length);
      expect(
        stored
          .map((d) => ({ id: d.id, name: d.name, resource: d.resource, related: d.related }))
          .sort((a, b) => a.id.localeCompare(b.id)),
        kind,
      ).toEqual(
        expected
          .map((t) => ({ id: t.id, name: t.name, resource: t.resource, related: t.related }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      );
    }
  });

  it('keeps the SAVED content of a flow with unpublished changes', async () => {
    const withDraft = documentsOf('flows').filter((d) => d.related?.savedContent !== undefined);
    const connect = new ConnectClient({
      endpoint: stack.emulator.endpoint,
      region: LOCAL_REGION,
      credentials: stack.emulator.credentials(LOCAL_ACCOUNT),
    });
    const saved = await connect.send(
      new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: `${withDraft[0]?.id}:$SAVED` }),
    );

    expect(withDraft.map((d) => d.name)).toEqual(['Post Call Survey']);
    expect(withDraft[0]?.related?.savedContent).toBe(saved.ContactFlow?.Content);
    expect(withDraft[0]?.resource.Content).not.toBe(saved.ContactFlow?.Content);
  });

  it("keeps Team Lead's applications, allowed flow module and hierarchy restriction", () => {
    const profile = documentsOf('security-profiles').find((d) => d.name === 'Team Lead');
    const module = documentsOf('flow-modules').find((d) => d.name === 'Customer Authentication');
    const group = documentsOf('user-hierarchy-groups').find((d) => d.name === 'North America');

    expect(profile?.related?.applications).toEqual([
      {
        Namespace: 'com.example.coaching-notes',
        ApplicationPermissions: ['ReadNotes', 'WriteNotes'],
        Type: 'THIRD_PARTY_APPLICATION',
      },
    ]);
    expect(profile?.related?.allowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: module?.id }]);
    expect(profile?.resource.HierarchyRestrictedResources).toEqual(['User']);
    expect(profile?.resource.AllowedAccessControlHierarchyGroupId).toBe(group?.id);
  });

  it("keeps the instance's attributes and approved origins in instance.json", () => {
    const entry = manifest.objects.find((o) => o.kind === 'instance');
    const instance = JSON.parse(textOf(entry?.key ?? '') || 'null') as InstanceDocument;
    const live = stack.emulator.world.instances.get(instanceId);

    expect(instance.attributes).toEqual(Object.fromEntries(live?.attributes ?? []));
    expect(instance.attributes).toMatchObject(DEMO_INSTANCE_ATTRIBUTES);
    expect(instance.approvedOrigins).toEqual(DEMO_APPROVED_ORIGINS);
  });

  it('lists every object in the manifest with a SHA-256 that matches its bytes', async () => {
    const listed = manifest.objects.map((o) => o.key).sort();
    const report = await verifySnapshot(
      new S3SnapshotStore({ client: stack.s3.client(), bucket: LOCAL_BUCKET }),
      LOCAL_PREFIX,
      instanceId,
      manifest.snapshotId,
    );

    const keys = [...objects.keys()];
    // Besides the manifest, the objects the manifest does not list are the run's lease and the HTML
    // report made after the manifest.
    const unlisted = (k: string) =>
      k === 'manifest.json' || k === 'report.html' || k.startsWith('checkpoints/');
    expect(keys.filter(unlisted).sort()).toEqual([
      'checkpoints/0.lease.json',
      'manifest.json',
      'report.html',
    ]);
    expect(listed).toEqual(keys.filter((k) => !unlisted(k)).sort());
    for (const entry of manifest.objects) {
      const body = objects.get(entry.key) ?? Buffer.alloc(0);
      expect(sha256Hex(body), entry.key).toBe(entry.sha256);
      expect(body.byteLength, entry.key).toBe(entry.bytes);
    }
    expect(report).toMatchObject({
      ok: true,
      checked: manifest.objects.length,
      missing: [],
      mismatched: [],
      unexpected: [],
    });
  });

  it('writes every raw flow as the parsed, pretty-printed content of its flow', () => {
    const flows = manifest.objects.filter((o) => o.kind === 'flows');
    const raws = manifest.objects.filter((o) => o.kind === 'flows-raw');

    expect(raws.length).toBe(flows.length);
    for (const flow of flows) {
      const document = JSON.parse(textOf(flow.key)) as StoredDocument;
      const raw = textOf(flow.key.replace(/^flows\//, 'flows-raw/'));
      expect(JSON.parse(raw), flow.name).toEqual(JSON.parse(String(document.resource.Content)));
      expect(raw).toBe(`${JSON.stringify(JSON.parse(raw), null, 2)}\n`);
    }
  });

  it("stores every prompt's audio beside its document: the bytes Connect serves, with SHA-256, size and content type", () => {
    const prompts = manifest.objects.filter((o) => o.kind === 'prompts');
    const audio = manifest.objects.filter((o) => o.kind === 'prompts-audio');
    const live = stack.emulator.world.instances.get(instanceId)?.prompts;

    expect(prompts.length).toBe(live?.all().length);
    expect(audio.map((o) => o.id).sort()).toEqual(prompts.map((o) => o.id).sort());
    for (const prompt of prompts) {
      const entry = audio.find((o) => o.id === prompt.id);
      const served = live?.require(prompt.id).audio.bytes ?? new Uint8Array();
      expect(entry?.key, prompt.name).toBe(
        prompt.key.replace(/^prompts\/(.*)\.json$/, 'prompts-audio/$1.wav'),
      );
      expect(entry).toMatchObject({
        name: prompt.name,
        arn: prompt.arn,
        contentType: 'audio/wav',
        bytes: served.byteLength,
        sha256: sha256Hex(served),
      });
      expect(objects.get(entry?.key ?? '')?.equals(served), prompt.name).toBe(true);
    }
    expect(manifest.apiCalls.GetPromptFile).toBe(prompts.length);
  });

  it('holds no password anywhere', () => {
    const seededPasswords = [ADMIN_PASSWORD, 'Demo-Passw0rd-01', 'Demo-Passw0rd-41'];
    for (const [key, bytes] of objects) {
      const body = bytes.toString('utf8');
      expect(body, key).not.toMatch(/"password"\s*:/i);
      for (const password of seededPasswords) expect(body, key).not.toContain(password);
    }
    expect(manifest.counts.users).toBe(41);
  });

  it('records the Connect calls it made per operation: Search as the index of flows, Describe per flow', () => {
    const flows = stack.emulator.world.instances.get(instanceId)?.flows.all() ?? [];
    // One `<id>:$SAVED` Describe per flow, one more per published flow with unpublished changes.
    const describes = flows.length + flows.filter((f) => f.savedDraft !== undefined).length;
    expect(flows.some((f) => f.savedDraft !== undefined)).toBe(true);
    expect(manifest.apiCalls.SearchContactFlows).toBe(1);
    expect(manifest.apiCalls.DescribeContactFlow).toBe(describes);
    expect(manifest.apiCalls.DescribeUser).toBe(41);
    expect(manifest.apiCalls.ListUsers).toBe(1);
    expect(manifest.throttles).toEqual({ count: 0, byOperation: {} });
  });
});
