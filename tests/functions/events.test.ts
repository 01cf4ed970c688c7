import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  backupRequestedEventSchema,
  connectBackupEventSchema,
  doctorRequestSchema,
  scheduleInputSchema,
  sqsEventSchema,
} from '#shared/backup/events.js';
import { pruneInputSchema } from '../../functions/prune/handler.js';
import { startConnectEmulator } from '../emulator/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(`events/${name}`, 'utf8'));

describe('the sample events in events/', () => {
  it('are valid inputs of their handlers', () => {
    expect(scheduleInputSchema.parse(fixture('schedule-backups.json'))).toEqual({});
    expect(scheduleInputSchema.parse(fixture('schedule-backups-selected.json')).kinds).toEqual([
      'flows',
      'flow-modules',
      'queues',
      'routing-profiles',
    ]);
    expect(backupRequestedEventSchema.parse(fixture('backup-instance.json')).detail.instanceId).toBe(
      'a3272d07-cc52-45bf-82bb-7e6c62364219',
    );
    expect(
      connectBackupEventSchema.parse(fixture('backup-instance-connect-backup.json')).ConnectInstanceId,
    ).toBe('a3272d07-cc52-45bf-82bb-7e6c62364219');
    expect(pruneInputSchema.parse(fixture('prune.json'))).toEqual({});
    // What the backup queue's event source mapping delivers: one record, its body a Backup Requested envelope.
    const queued = sqsEventSchema.parse(fixture('backup-queue-message.json')).Records[0];
    expect(backupRequestedEventSchema.parse(JSON.parse(queued?.body ?? '')).detail.instanceId).toBe(
      'a3272d07-cc52-45bf-82bb-7e6c62364219',
    );
    expect(queued?.attributes.MessageGroupId).toBe('111122223333/us-east-1');
    expect(doctorRequestSchema.parse(fixture('backup-instance-doctor.json'))).toEqual({
      mode: 'doctor',
      instanceId: 'a3272d07-cc52-45bf-82bb-7e6c62364219',
    });
  });

  it('match what serverless.yml configures for the schedule: its input, not an envelope', () => {
    const yml = readFileSync('serverless.yml', 'utf8');

    expect(yml).toMatch(/input: \{\}/);
    expect(scheduleInputSchema.safeParse({ 'detail-type': 'Scheduled Event', detail: {} }).success).toBe(
      false,
    );
  });

  it('name only instances the emulator’s demo seed has, so invoke local runs them as they are', async () => {
    const emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
    try {
      const seeded = new Map(emulator.instances.map((i) => [i.id, i.alias]));
      const named = readdirSync('events')
        .filter((name) => name.endsWith('.json'))
        .flatMap((name) =>
          [
            ...readFileSync(`events/${name}`, 'utf8').matchAll(
              /"(?:instanceId|instanceIds|ConnectInstanceId)":\s*\[?"([^"]+)"/g,
            ),
          ].map((m) => `${name} ${m[1]} ${seeded.get(m[1] ?? '') ?? 'not seeded'}`),
        );

      expect(named.sort()).toEqual([
        'backup-continued.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'backup-instance-connect-backup.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'backup-instance-doctor.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'backup-instance-full.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'backup-instance.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'restore-point-in-time.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'restore.json 6f1e0c55-3b0e-4a0e-9f43-51d2f1c7d8aa demo-target',
        'restore.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
        'schedule-backups-selected.json a3272d07-cc52-45bf-82bb-7e6c62364219 demo-source',
      ]);
    } finally {
      await emulator.close();
    }
  });
});
