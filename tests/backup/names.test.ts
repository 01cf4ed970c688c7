import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import { isSafeRelativeKey, type Manifest, manifestKey } from '#shared/snapshot/format.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import {
  call,
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
} from '../emulator/seeds/support.js';
import { emulatorClient, runBackup, tempFolderStore } from './support.js';

const QUEUE_NAMES = [
  'Sales/EMEA',
  'Sales_EMEA',
  '..',
  '../../etc/passwd',
  'Ünïcödé Queue — 日本語',
  'Emoji 🎧📞 Queue 👩🏽‍💻',
  'Tab\tand\u0007bell',
  '.hidden',
];
const LONG_FLOW_NAME = `Very long flow name ${'x'.repeat(230)}`;
const FLOW_CONTENT = JSON.stringify({
  Version: '2019-10-30',
  StartAction: 'a',
  Actions: [{ Identifier: 'a', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }],
});

let emulator: ConnectEmulator;

beforeAll(async () => {
  emulator = await startConnectEmulator({
    throttle: { enabled: false },
    seed: async (env) => {
      const instance = createInstance(env, {
        alias: 'names',
        accountId: DEFAULT_ACCOUNT_ID,
        region: DEFAULT_REGION,
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
      });
      const { HoursOfOperationId } = await call<{ HoursOfOperationId: string }>(
        env,
        instance,
        'CreateHoursOfOperation',
        {
          Name: 'Hours',
          TimeZone: 'UTC',
          Config: [],
        },
      );
      for (const Name of QUEUE_NAMES) await call(env, instance, 'CreateQueue', { Name, HoursOfOperationId });
      await call(env, instance, 'CreateContactFlow', {
        Name: LONG_FLOW_NAME,
        Type: 'CONTACT_FLOW',
        Content: FLOW_CONTENT,
      });
      await call(env, instance, 'CreateContactFlow', {
        Name: 'A/B',
        Type: 'CONTACT_FLOW',
        Content: FLOW_CONTENT,
      });
      await call(env, instance, 'CreateContactFlow', {
        Name: 'A_B',
        Type: 'CONTACT_FLOW',
        Content: FLOW_CONTENT,
      });
      return [describeSeeded(instance, DEFAULT_ACCESS_KEY_ID)];
    },
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('object names in a snapshot', () => {
  it('stores unsafe, Unicode, emoji, over-long and colliding names as distinct, safe, readable objects', async () => {
    const instance = emulator.instances[0]!;
    const folder = await tempFolderStore();
    try {
      const result = await runBackup(emulatorClient(emulator, instance), folder.store, instance.id, {
        kinds: ['queues', 'flows'],
      });
      const manifest = JSON.parse(
        Buffer.from(
          (await folder.store.get(manifestKey('vault', instance.id, result.snapshotId))) ?? [],
        ).toString('utf8'),
      ) as Manifest;
      const snapshotDir = join(folder.root, 'vault', instance.id, 'snapshots', result.snapshotId);

      const keys = manifest.objects.map((o) => o.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) {
        expect(isSafeRelativeKey(key), key).toBe(true);
        const file = key.split('/').at(-1) ?? '';
        expect(file.startsWith('.'), key).toBe(false);
        expect(
          [...file].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\\'),
          key,
        ).toBe(false);
        expect(Buffer.byteLength(file), key).toBeLessThanOrEqual(200);
      }
      const queueDocs = manifest.objects.filter((o) => o.kind === 'queues');
      expect(queueDocs.map((o) => o.name).sort()).toEqual([...QUEUE_NAMES].sort());
      for (const entry of [...queueDocs, ...manifest.objects.filter((o) => o.kind === 'flows')]) {
        const stored = JSON.parse(
          Buffer.from(
            (await folder.store.get(`vault/${instance.id}/snapshots/${result.snapshotId}/${entry.key}`)) ??
              [],
          ).toString(),
        ) as StoredDocument;
        expect(stored.name).toBe(entry.name);
      }
      expect(
        manifest.objects
          .filter((o) => o.kind === 'flows')
          .map((o) => o.name)
          .sort(),
      ).toEqual(['A/B', 'A_B', LONG_FLOW_NAME].sort());
      // Readable: the emoji and Unicode names keep their characters.
      expect(keys.some((k) => k.startsWith('queues/Emoji 🎧📞 Queue 👩🏽‍💻--'))).toBe(true);
      expect(keys.some((k) => k.startsWith('queues/Ünïcödé Queue — 日本語--'))).toBe(true);
      // Nothing escaped the snapshot folder: every object is a file right inside its kind's folder.
      expect((await readdir(join(snapshotDir, 'queues'))).length).toBe(QUEUE_NAMES.length);
      expect((await readdir(join(snapshotDir, 'flows'))).length).toBe(3);
      expect((await readdir(join(snapshotDir, 'flows-raw'))).length).toBe(3);
    } finally {
      await folder.remove();
    }
  });
});
