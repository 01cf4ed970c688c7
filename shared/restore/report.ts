/**
 * The restore plan and report: what restore decided for each resource and why, what it did, every
 * reference it could not resolve, and the users who need a password reset (ids and usernames only).
 * `report.json` is this, serialised; {@link formatSummary} is the readable form.
 */
import type { KindName } from '#shared/kinds/index.js';

/**
 * What the plan decides for a resource. `remove` (mode mirror only): a resource the target has and
 * the snapshot does not, deleted or disabled (`PlanEntry.removal`).
 */
export type RestoreAction = 'create' | 'update' | 'unchanged' | 'skip' | 'remove';
/** What happened when the plan was applied; `removed` and `disabled` are a mirror's removals. */
export type RestoreOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'skipped'
  | 'removed'
  | 'disabled'
  | 'failed'
  | 'not-run';
/**
 * A kind of the registry, an instance integration, or an instance setting (an attribute, an
 * approved origin): DESIGN.md restore order, step 1.
 */
export type EntryKind =
  | KindName
  | 'lambda-function'
  | 'lex-v2-bot'
  | 'instance-attribute'
  | 'approved-origin';

/** One resource of the plan. */
export interface PlanEntry {
  kind: EntryKind;
  /**
   * The name it has (or gets) in the target; an ARN for integrations, the AttributeType for an
   * instance attribute, the origin for an approved origin.
   */
  name: string;
  /**
   * Its id in the snapshot (an ARN for integrations; as `name` for instance settings). Empty for a
   * resource only the target has (mode mirror: `removal` is set).
   */
  sourceId: string;
  /** Its id in the target, once matched or created. */
  targetId?: string;
  action: RestoreAction;
  reason: string;
  /** True when the resource cannot be restored as asked (unresolved references, a conflict). */
  blocked?: boolean;
  /** The parts that differ (update, or skip in create-missing mode). */
  changes?: string[];
  /** Set once applied. */
  outcome?: RestoreOutcome;
  /** Why it failed: the error's name and message. */
  error?: string;
  /** Something applying did that people should know, e.g. a resource adopted after a lost create answer. */
  warning?: string;
  /**
   * Mode mirror: the entry is a resource the target has and the snapshot does not, and how mirror
   * removes it: `delete`, `disable`, or `kept` (the kind cannot be removed, or the resource is a
   * default one; `reason` says which). Its action is `remove`, `unchanged` (disabled already) or
   * `skip` (kept).
   */
  removal?: 'delete' | 'disable' | 'kept';
}

/** A reference restore cannot resolve; the resource holding it is not written. */
export interface UnresolvedReference {
  kind: EntryKind;
  /** The resource that holds the reference. */
  name: string;
  sourceId: string;
  /** Where in its state, e.g. `Published.Actions[2].Parameters.LambdaFunctionARN`. */
  path: string;
  /** The id or ARN as the snapshot has it. */
  reference: string;
  reason: string;
  /**
   * `unresolved`: not in the snapshot, or not mappable into the target (the root causes);
   * `blocked`: a resource of the snapshot that will not exist in the target (blocked or not selected);
   * `link-dropped`: as `blocked`, for a link (queue ↔ quick connect) that is left out while the
   * resource is restored.
   */
  cause: 'unresolved' | 'blocked' | 'link-dropped';
}

/** The plan: every selected resource of the snapshot, matched to the target and decided. */
export interface RestorePlan {
  /** Sortable by time, e.g. `2026-11-22T09-30-00.123Z`. */
  restoreId: string;
  mode: 'create-missing' | 'overwrite' | 'mirror';
  dryRun: boolean;
  source: {
    location: string;
    instanceId: string;
    alias: string;
    region: string;
    accountId: string;
    snapshotId: string;
  };
  target: {
    instanceId: string;
    arn: string;
    alias: string;
    region: string;
    accountId: string;
    identityManagementType: string;
  };
  filters: { kinds?: KindName[]; names?: string[] };
  entries: PlanEntry[];
  unresolved: UnresolvedReference[];
  /** Entries per action; `remove` in mode mirror only. */
  counts: Record<Exclude<RestoreAction, 'remove'>, number> & { remove?: number };
}

/** The report of a restore (or of a dry run: then the outcomes are absent). */
export interface RestoreReport extends RestorePlan {
  /** `planned` for a dry run; `blocked` when everything ran but some resources were blocked. */
  status: 'planned' | 'succeeded' | 'blocked' | 'failed' | 'aborted';
  startedAt: string;
  finishedAt: string;
  /** Entries per outcome (empty for a dry run). */
  outcomes: Partial<Record<RestoreOutcome, number>>;
  /** Users created with a random password (CONNECT_MANAGED): they need a password reset. */
  passwordResets: Array<{ userId: string; username: string }>;
  /** Connect calls made per operation (reads and writes). */
  apiCalls: Record<string, number>;
  /** Where `report.json` was written, if it was. */
  reportLocation?: string;
  /**
   * The target's backup taken just before the first write, and the command that rolls the restore
   * back (restoring that snapshot into the target, mode overwrite).
   */
  safetySnapshot?: { snapshotId: string; location: string; rollback: string };
  /**
   * The target read again after applying: how many resources were compared, and each one that
   * still differs from the snapshot (what differs). Absent for a dry run or when not asked.
   */
  verification?: {
    checked: number;
    /** Reads of the target it took (differences right after a write may be propagation). */
    attempts: number;
    differences: Array<{ kind: EntryKind; name: string; targetId?: string; changes: string[] }>;
  };
}

/** Counts of a list by a key. */
export function countBy<T, K extends string>(
  items: readonly T[],
  key: (item: T) => K | undefined,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The most lines of one section in the readable summary; the report has them all. */
const SECTION_LIMIT = 40;

function section<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (!items.length) return [];
  const lines = [
    '',
    `${title} (${items.length}):`,
    ...items.slice(0, SECTION_LIMIT).map((item) => `  ${line(item)}`),
  ];
  if (items.length > SECTION_LIMIT)
    lines.push(`  … and ${items.length - SECTION_LIMIT} more (see the report)`);
  return lines;
}

/**
 * The readable summary: the plan per kind, the resources that change or are skipped, unresolved
 * references, failures, password resets, and the totals.
 */
export function formatSummary(report: RestoreReport): string {
  const mirror = report.mode === 'mirror';
  const actions: RestoreAction[] = [
    'create',
    'update',
    ...(mirror ? ['remove' as const] : []),
    'unchanged',
    'skip',
  ];
  const kinds = [...new Set(report.entries.map((e) => e.kind))];
  const width = Math.max(24, ...kinds.map((k) => k.length + 2));
  const lines = [
    `${report.dryRun ? 'Restore plan (dry run)' : 'Restore'} ${report.restoreId}, mode ${report.mode}`,
    `  from snapshot ${report.source.snapshotId} of ${report.source.alias || report.source.instanceId} (${report.source.instanceId}, ${report.source.accountId}, ${report.source.region})`,
    `  into ${report.target.alias || report.target.instanceId} (${report.target.instanceId}, ${report.target.accountId}, ${report.target.region})`,
    '',
    `  ${pad('kind', width)}${actions.map((a) => pad(a, 11)).join('')}`,
  ];
  for (const kind of kinds) {
    const entries = report.entries.filter((e) => e.kind === kind);
    lines.push(
      `  ${pad(kind, width)}${actions.map((a) => pad(String(entries.filter((e) => e.action === a).length), 11)).join('')}`,
    );
  }
  const changing = report.entries.filter(
    (e) => e.action === 'create' || e.action === 'update' || e.action === 'remove',
  );
  const done = new Set(['created', 'updated', 'removed', 'disabled']);
  lines.push(
    ...section('Changes', changing, (e) => {
      const outcome = e.outcome && !done.has(e.outcome) ? ` → ${e.outcome}` : '';
      const what =
        e.action === 'remove'
          ? ` (${e.removal === 'disable' ? 'disable' : 'delete'})`
          : e.changes?.length
            ? ` (${e.changes.join(', ')})`
            : '';
      return `${pad(e.action, 7)} ${e.kind} "${e.name}"${what}${outcome}`;
    }),
    ...section(
      'Skipped',
      report.entries.filter((e) => e.action === 'skip' && e.removal !== 'kept'),
      (e) => `${e.blocked ? 'BLOCKED ' : ''}${e.kind} "${e.name}": ${e.reason}`,
    ),
    ...section(
      'Kept in the target although the snapshot does not have them (mirror)',
      report.entries.filter((e) => e.removal === 'kept'),
      (e) => `${e.kind} "${e.name}": ${e.reason}`,
    ),
    ...section(
      'Unresolved references',
      report.unresolved.filter((u) => u.cause === 'unresolved'),
      (u) => `${u.kind} "${u.name}" ${u.path}: ${u.reference} ${u.reason}`,
    ),
    ...section(
      'Links left out',
      report.unresolved.filter((u) => u.cause === 'link-dropped'),
      (u) => `${u.kind} "${u.name}" ${u.path}: ${u.reason}`,
    ),
    ...section(
      'Warnings',
      report.entries.filter((e) => e.warning),
      (e) => `${e.kind} "${e.name}": ${e.warning}`,
    ),
    ...section(
      'Failed',
      report.entries.filter((e) => e.outcome === 'failed'),
      (e) => `${e.kind} "${e.name}": ${e.error ?? ''}`,
    ),
    ...section(
      'Users who need a password reset',
      report.passwordResets,
      (u) => `${u.username} (${u.userId})`,
    ),
  );
  const calls = Object.values(report.apiCalls).reduce((a, b) => a + b, 0);
  const seconds = ((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000).toFixed(1);
  lines.push('');
  if (report.dryRun) {
    lines.push(
      `Plan: ${report.counts.create} to create, ${report.counts.update} to update, ${mirror ? `${report.counts.remove ?? 0} to remove, ` : ''}${report.counts.unchanged} unchanged, ${report.counts.skip} skipped (${report.entries.filter((e) => e.blocked).length} blocked); nothing was written. Connect calls ${calls}, ${seconds} s`,
    );
  } else {
    const o = report.outcomes;
    lines.push(
      `Restore ${report.status}: ${o.created ?? 0} created, ${o.updated ?? 0} updated, ${mirror ? `${o.removed ?? 0} removed, ${o.disabled ?? 0} disabled, ` : ''}${o.unchanged ?? 0} unchanged, ${o.skipped ?? 0} skipped (${report.entries.filter((e) => e.blocked).length} blocked), ${o.failed ?? 0} failed${o['not-run'] ? `, ${o['not-run']} not run` : ''}. Connect calls ${calls}, ${seconds} s`,
    );
  }
  if (report.verification) {
    const v = report.verification;
    lines.push(
      v.differences.length
        ? `Verification: ${v.differences.length} of ${v.checked} resources still differ from the snapshot after ${v.attempts} read(s) of the target:`
        : `Verification: the target matches the snapshot for all ${v.checked} restored resources.`,
    );
    for (const d of v.differences) lines.push(`  ${d.kind} "${d.name}": ${d.changes.join(', ')}`);
  }
  if (report.safetySnapshot) {
    lines.push(
      `Safety snapshot of the target: ${report.safetySnapshot.snapshotId} (${report.safetySnapshot.location})`,
    );
    lines.push(`Roll back with: ${report.safetySnapshot.rollback}`);
  }
  if (report.reportLocation) lines.push(`Report: ${report.reportLocation}`);
  return lines.join('\n');
}
