/**
 * Retention: which snapshots a policy keeps and which it forgets, with restic's `forget` semantics
 * (https://restic.readthedocs.io/en/stable/060_forget.html): `--keep-last N` keeps the N newest;
 * `--keep-daily N` keeps, for each of the N newest days that have a snapshot, the newest snapshot of
 * that day; likewise weekly (ISO weeks) and monthly. Each rule counts on its own and a snapshot kept
 * by any rule is kept. Days, weeks and months are in UTC, from the time the snapshot started (its id).
 *
 * On top of the policy: the snapshot `latest.json` names is never forgotten, and neither is a folder
 * without a manifest (a backup running now, or one that failed: those are listed, never removed).
 */

/** How many snapshots of each period to keep. A missing or 0 rule keeps nothing by itself. */
export interface RetentionPolicy {
  last?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

/** A snapshot as retention sees it. */
export interface RetainedSnapshot {
  snapshotId: string;
  /** ISO 8601 UTC time the backup started. */
  startedAt: string;
  /** A restore's safety snapshot: that restore's id. */
  safetyFor?: string;
}

/** How long a restore's safety snapshot is kept whatever the rules say, in days (by default). */
export const KEEP_SAFETY_DAYS = 7;

/** The outcome for one snapshot: kept (with every reason) or forgotten. */
export interface RetentionDecision {
  snapshotId: string;
  startedAt: string;
  keep: boolean;
  /** Why it is kept: `last`, `daily 2026-11-30`, `weekly 2026-W48`, `monthly 2026-11`, `latest`. */
  reasons: string[];
}

/** True when the policy keeps at least one snapshot by a rule. */
export function hasRule(policy: RetentionPolicy): boolean {
  return [policy.last, policy.daily, policy.weekly, policy.monthly].some((n) => (n ?? 0) > 0);
}

const day = (time: Date) => time.toISOString().slice(0, 10);
const month = (time: Date) => time.toISOString().slice(0, 7);

/** ISO 8601 week of a UTC time: `2026-W48` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(time: Date): string {
  const date = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Applies a policy to an instance's snapshots.
 * @param snapshots every snapshot with a manifest, in any order.
 * @param latestId the snapshot `latest.json` names, if any: always kept.
 * @param safety a restore's safety snapshot started less than `keepDays` (default
 *   {@link KEEP_SAFETY_DAYS}) before `now` is always kept.
 * @returns one decision per snapshot, newest first.
 * @throws RangeError when a rule is negative or not an integer, or a start time is not a date.
 */
export function applyRetention(
  snapshots: readonly RetainedSnapshot[],
  policy: RetentionPolicy,
  latestId?: string,
  safety: { now: Date; keepDays?: number } = { now: new Date() },
): RetentionDecision[] {
  for (const [rule, n] of Object.entries(policy)) {
    if (n !== undefined && (!Number.isInteger(n) || n < 0))
      throw new RangeError(`keep-${rule} must be a whole number of at least 0, not ${n}`);
  }
  const newestFirst = [...snapshots]
    .map((s) => {
      const time = new Date(s.startedAt);
      if (Number.isNaN(time.getTime()))
        throw new RangeError(`snapshot ${s.snapshotId}: bad start time ${s.startedAt}`);
      return { ...s, time };
    })
    .sort((a, b) => b.time.getTime() - a.time.getTime() || b.snapshotId.localeCompare(a.snapshotId));
  const reasons = new Map<string, string[]>(newestFirst.map((s) => [s.snapshotId, []]));
  const keepPer = (label: string, n: number | undefined, period: (time: Date) => string) => {
    if (!n) return;
    const seen = new Set<string>();
    for (const s of newestFirst) {
      const bucket = period(s.time);
      if (seen.has(bucket)) continue;
      if (seen.size >= n) break;
      seen.add(bucket);
      reasons.get(s.snapshotId)?.push(`${label} ${bucket}`);
    }
  };
  for (const s of newestFirst.slice(0, policy.last ?? 0)) reasons.get(s.snapshotId)?.push('last');
  keepPer('daily', policy.daily, day);
  keepPer('weekly', policy.weekly, isoWeek);
  keepPer('monthly', policy.monthly, month);
  if (latestId) reasons.get(latestId)?.push('latest');
  const safeSince = safety.now.getTime() - (safety.keepDays ?? KEEP_SAFETY_DAYS) * 86_400_000;
  for (const s of newestFirst) {
    if (s.safetyFor && s.time.getTime() >= safeSince)
      reasons.get(s.snapshotId)?.push(`safety snapshot of restore ${s.safetyFor}`);
  }
  return newestFirst.map((s) => {
    const why = reasons.get(s.snapshotId) ?? [];
    return { snapshotId: s.snapshotId, startedAt: s.startedAt, keep: why.length > 0, reasons: why };
  });
}
