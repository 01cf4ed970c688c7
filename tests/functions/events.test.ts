import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backupRequestedEventSchema, scheduleInputSchema } from '#shared/backup/events.js';

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
  });

  it('match what serverless.yml configures for the schedule: its input, not an envelope', () => {
    const yml = readFileSync('serverless.yml', 'utf8');

    expect(yml).toMatch(/input: \{\}/);
    expect(scheduleInputSchema.safeParse({ 'detail-type': 'Scheduled Event', detail: {} }).success).toBe(
      false,
    );
  });
});
