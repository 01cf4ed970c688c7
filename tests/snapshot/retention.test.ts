/** Retention with restic's `forget` rules (shared/snapshot/retention.ts). */
import { describe, expect, it } from 'vitest';
import { applyRetention, hasRule, isoWeek } from '#shared/snapshot/retention.js';

/** Snapshots at 02:00 UTC each night from 2026-10-01 to 2026-12-02, plus a second one on 12-02. */
function nightly() {
  const out: Array<{ snapshotId: string; startedAt: string }> = [];
  for (let t = Date.parse('2026-10-01T02:00:00Z'); t <= Date.parse('2026-12-02T02:00:00Z'); t += 86_400_000) {
    const startedAt = new Date(t).toISOString();
    out.push({ snapshotId: startedAt.replace(/:/g, '-'), startedAt });
  }
  const extra = '2026-12-02T14:00:00.000Z';
  out.push({ snapshotId: extra.replace(/:/g, '-'), startedAt: extra });
  return out;
}

const kept = (decisions: ReturnType<typeof applyRetention>) =>
  decisions.filter((d) => d.keep).map((d) => d.startedAt.slice(0, 13));

describe('applyRetention', () => {
  it('keeps the newest snapshot of each of the N newest days', () => {
    const decisions = applyRetention(nightly(), { daily: 3 });
    expect(kept(decisions)).toEqual(['2026-12-02T14', '2026-12-01T02', '2026-11-30T02']);
    expect(decisions.find((d) => d.startedAt.startsWith('2026-12-01'))?.reasons).toEqual([
      'daily 2026-12-01',
    ]);
  });

  it('counts weeks by ISO week and months by calendar month, newest of each', () => {
    const decisions = applyRetention(nightly(), { weekly: 2, monthly: 3 });
    expect(kept(decisions)).toEqual([
      '2026-12-02T14', // ISO week 49 (Monday 11-30 to Sunday 12-06), and December
      '2026-11-30T02', // November: its newest; week 49 is already held by 12-02
      '2026-11-29T02', // week 48 (a Sunday, its last day)
      '2026-10-31T02', // October
    ]);
    const november = decisions.find((d) => d.startedAt.startsWith('2026-11-30'));
    expect(november?.reasons).toEqual(['monthly 2026-11']);
  });

  it('gives every reason, keeps latest whatever the rules, and forgets the rest', () => {
    const snapshots = nightly();
    const oldest = snapshots[0]?.snapshotId ?? '';
    const decisions = applyRetention(snapshots, { last: 1, daily: 1 }, oldest);
    expect(decisions[0]?.reasons).toEqual(['last', 'daily 2026-12-02']);
    expect(decisions.at(-1)).toMatchObject({ snapshotId: oldest, keep: true, reasons: ['latest'] });
    expect(decisions.filter((d) => d.keep)).toHaveLength(2);
    expect(decisions).toHaveLength(snapshots.length);
  });

  it('refuses rules that are not whole numbers, and knows a policy without a rule', () => {
    expect(() => applyRetention(nightly(), { daily: -1 })).toThrow(/keep-daily must be a whole number/);
    expect(() => applyRetention(nightly(), { weekly: 1.5 })).toThrow(/keep-weekly/);
    expect(hasRule({})).toBe(false);
    expect(hasRule({ monthly: 0 })).toBe(false);
    expect(hasRule({ monthly: 12 })).toBe(true);
  });

  it('numbers ISO weeks as ISO 8601 does at year ends', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01'); // a Thursday
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53'); // a Friday
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01'); // a Monday
  });
});
