/**
 * Applying a restore plan, in the dependency order of DESIGN.md and connect-api-facts.md §9:
 * instance integrations (Lambda functions, Lex V2 bots) first, then instance settings (attributes,
 * approved origins); then every kind's main phase in the
 * registry's order (flows and modules as placeholders before the queues, routing profiles, users
 * and quick connects that reference them); then the queue ↔ quick-connect links; last the real flow
 * and module content, published. A resource that fails is reported and the restore goes on; what
 * references it fails too, as nothing dangling is ever written. Within a phase, resources are written
 * side by side (`concurrency` at once): each waits only for the resources it references that the
 * phase creates before it, and the client's per-operation rate limiters hold each Connect
 * operation to its quota, so operations with separate quotas (CreateUser, CreateQueue, …) overlap.
 *
 * Every write goes through `withWriteRetry` (write-retry.ts): a write naming a resource this
 * restore created moments ago is retried while Connect propagates it, and a lost connection stops
 * the whole apply with one `ConnectionLostError`.
 */
import {
  AssociateApprovedOriginCommand,
  AssociateBotCommand,
  AssociateLambdaFunctionCommand,
  type ConnectClient,
  GetPromptFileCommand,
  type InstanceAttributeType,
  UpdateInstanceAttributeCommand,
} from '@aws-sdk/client-connect';
import {
  KIND_NAMES,
  kindNamed,
  RESTORE_PHASES,
  type ReadContext,
  type ResourceState,
  type RestorePhase,
  type TargetResource,
  type WriteContext,
} from '#shared/kinds/index.js';
import type { LoggerPort } from '#shared/ports.js';
import { findLostCreate, isRetriedDuplicate } from './adopt.js';
import { UnresolvedReferenceError } from './errors.js';
import { newPassword, type RandomSource } from './password.js';
import { hasContent, type PlannedRestore, type RestoreProgress, type WorkItem } from './plan.js';
import { handlesIn, resolveSymbols } from './references.js';
import type { PlanEntry } from './report.js';
import { ConnectionLostError, type PropagationRetryOptions, withWriteRetry } from './write-retry.js';

/** The ports applying runs on. */
export interface ApplyPorts {
  targetConnect: ConnectClient;
  /**
   * Reads the source instance's prompt audio (GetPromptFile), when there is one; used only for
   * prompts whose audio neither the snapshot in S3 nor `mappings.promptAudio` gives.
   */
  sourceConnect?: ConnectClient;
  logger: LoggerPort;
  /** Random bytes for new users' passwords; `crypto.randomBytes` by default. */
  random?: RandomSource;
  progress?: (event: RestoreProgress) => void;
  /** Stops before the next resource when aborted (the Lambda's deadline). */
  signal?: AbortSignal;
  /**
   * How long writes naming a just-created resource are retried while it propagates; defaults for a
   * real account (`DEFAULT_PROPAGATION_RETRY`: a 5-minute window, up to 3 minutes per write).
   */
  propagationRetry?: Partial<PropagationRetryOptions>;
  /**
   * Resources of one kind written at once (kinds run side by side; each Connect operation is held to
   * its own quota by the client's rate limiter). Default {@link DEFAULT_CONCURRENCY}; 1 writes one
   * resource at a time over all kinds, the sequence of DESIGN.md's order.
   */
  concurrency?: number;
  /** Told of every resource created, as soon as Connect answers (the restore's journal, `journal.ts`). */
  journal?: { created(event: { kind: string; sourceId: string; targetId: string }): void };
}

/**
 * Resources of one kind a restore writes at once by default: enough to keep the kind's operations
 * busy at their default quotas (2 to 10 calls a second each), few enough that the resources waiting
 * for a rate limiter hold no more than a handful of connections per kind.
 */
export const DEFAULT_CONCURRENCY = 8;

/** What applying did beyond the entries' outcomes. */
export interface ApplyResult {
  passwordResets: Array<{ userId: string; username: string }>;
  aborted: boolean;
}

function errorText(error: unknown, secrets: ReadonlySet<string>): string {
  const e = error as Error;
  let text = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  // A service message should never echo a password; if one ever did, it goes no further.
  for (const secret of secrets) text = text.split(secret).join('[redacted]');
  if (e.name === 'DuplicateResourceException') {
    // Connect's Search results lag behind changes, so a resource created moments ago may not have
    // been read by the plan.
    text +=
      ' (if it was created moments ago, Search had not indexed it yet: run the restore again in a minute)';
  }
  return text;
}

/** The parts of a state written in one phase. */
function partsOf(item: WorkItem, phase: RestorePhase): string[] {
  return Object.keys(item.desired).filter((part) => (item.spec.phases?.[part] ?? 'main') === phase);
}

function pick(state: ResourceState, parts: readonly string[]): ResourceState {
  return Object.fromEntries(parts.filter((p) => p in state).map((p) => [p, state[p]]));
}

/**
 * Runs `work` for every item of `sequence`, each only after the items it waits for (`waits[i]`, all
 * earlier in the sequence) have finished, with at most `concurrency` items of one lane (`laneOf`:
 * a kind, whose writes share their Connect operations and so their rate limiters) at once. Lanes
 * run side by side: an item waiting for its operation's limiter holds a place in its own lane only,
 * never one that an idle operation could use. Within a lane, the earliest ready item of the
 * sequence starts first, so `concurrency` 1 with a single lane is the sequence itself, one at a
 * time. `work` must not throw (a failure is an outcome).
 */
async function runInWaves<T>(
  sequence: readonly T[],
  waits: readonly ReadonlySet<T>[],
  concurrency: number,
  laneOf: (item: T) => string,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const done = new Set<T>();
  const started = new Set<number>();
  const running = new Set<Promise<void>>();
  const busy = new Map<string, number>();
  const limit = Math.max(1, concurrency);
  let first = 0;
  const ready = (i: number) => [...(waits[i] ?? [])].every((other) => done.has(other));
  while (started.size < sequence.length || running.size > 0) {
    while (first < sequence.length && started.has(first)) first += 1;
    for (let i = first; i < sequence.length; i += 1) {
      const item = sequence[i] as T;
      const lane = laneOf(item);
      if (started.has(i) || (busy.get(lane) ?? 0) >= limit || !ready(i)) continue;
      started.add(i);
      busy.set(lane, (busy.get(lane) ?? 0) + 1);
      const run: Promise<void> = work(item).then(() => {
        done.add(item);
        busy.set(lane, (busy.get(lane) ?? 1) - 1);
        running.delete(run);
      });
      running.add(run);
    }
    // Nothing more can start now: wait for a running item. One always runs, as every wait is on an
    // earlier item; a wait on a later one would be a planner bug, not a reason to hang.
    if (running.size === 0)
      throw new Error(
        `restore scheduler: ${sequence.length - started.size} resources wait for nothing running`,
      );
    await Promise.race(running);
  }
}

/**
 * Applies a plan: writes what it decided, records each entry's outcome (`created`, `updated`,
 * `unchanged`, `skipped`, `failed`, or `not-run` after an abort) and returns the users who were
 * given a random password. Never throws for one resource's failure. A create the SDK retried into
 * `DuplicateResourceException` after its answer was lost adopts the resource of that name (see
 * `adopt.ts`), with a warning on the entry.
 * @throws ConnectionLostError when Connect stops answering (connection refused or reset after the
 *   SDK's retries): the resource being written is `failed`, the rest `not-run`, and nothing more is
 *   tried. The error's message says how far the restore got.
 */
export async function applyRestore(planned: PlannedRestore, ports: ApplyPorts): Promise<ApplyResult> {
  const { index, targetIdentity } = planned;
  const resolved = new Map<number, TargetResource>(planned.matched);
  const passwordResets: ApplyResult['passwordResets'] = [];
  const secrets = new Set<string>();
  const total = planned.plan.entries.filter(
    (e) => e.action === 'create' || e.action === 'update' || e.action === 'remove',
  ).length;
  let done = 0;
  let aborted = false;
  let lost: ConnectionLostError | undefined;
  const connect = withWriteRetry(ports.targetConnect, ports.propagationRetry, {
    retrying: (event) =>
      ports.logger.info('write retried: it names a resource created moments ago, still propagating', event),
  });

  for (const entry of planned.plan.entries) {
    if (entry.action === 'unchanged') entry.outcome = 'unchanged';
    else if (entry.action === 'skip') entry.outcome = 'skipped';
  }

  const ctx: WriteContext = {
    connect,
    instanceId: targetIdentity.id,
    instanceArn: targetIdentity.arn,
    identityManagementType: planned.identityManagementType,
    signal: ports.signal,
    newPassword: () => {
      const password = newPassword(ports.random);
      secrets.add(password);
      return password;
    },
    passwordReset: (user) => passwordResets.push(user),
    promptAudio: async (source) => {
      const uri = planned.promptAudioUri(source);
      if (uri) return uri;
      if (!ports.sourceConnect || !planned.sourceReadable)
        throw new Error(
          `no audio for prompt "${source.name}": neither the snapshot in S3 nor a mapping gives it`,
        );
      const { PromptPresignedUrl } = await ports.sourceConnect.send(
        new GetPromptFileCommand({ InstanceId: planned.sourceIdentity.id, PromptId: source.id }),
        { abortSignal: ports.signal },
      );
      if (!PromptPresignedUrl) throw new Error(`GetPromptFile returned no URL for prompt "${source.name}"`);
      return PromptPresignedUrl;
    },
  };

  const readContext: ReadContext = {
    connect: ports.targetConnect,
    instanceId: targetIdentity.id,
    instanceArn: targetIdentity.arn,
    signal: ports.signal,
    warn: () => {},
  };

  const finish = (
    entry: PlanEntry,
    outcome: 'created' | 'updated' | 'removed' | 'disabled' | 'failed',
    error?: unknown,
  ) => {
    entry.outcome = outcome;
    if (error !== undefined) {
      entry.error = errorText(error, secrets);
      ports.logger.warn('resource not restored', {
        kind: entry.kind,
        sourceId: entry.sourceId,
        errorName: (error as Error).name,
      });
    }
    done += 1;
    ports.progress?.({ type: 'applied', kind: entry.kind, name: entry.name, outcome, done, total });
  };
  const stopped = () => {
    if (ports.signal?.aborted) aborted = true;
    return aborted || lost !== undefined;
  };
  /** Records a failure; a lost connection stops everything after it. */
  const fail = (entry: PlanEntry, error: unknown) => {
    if (error instanceof ConnectionLostError) {
      if (lost) {
        // Another write in flight when the connection went: the first one's error says it all.
        entry.error = errorText(error, secrets);
        finish(entry, 'failed');
        return;
      }
      lost = error;
    }
    finish(entry, 'failed', error);
  };

  for (const association of planned.associations) {
    if (association.entry.action !== 'create' || stopped()) continue;
    try {
      const options = { abortSignal: ports.signal };
      if (association.entry.kind === 'lambda-function') {
        await connect.send(
          new AssociateLambdaFunctionCommand({ InstanceId: targetIdentity.id, FunctionArn: association.arn }),
          options,
        );
      } else {
        await connect.send(
          new AssociateBotCommand({ InstanceId: targetIdentity.id, LexV2Bot: { AliasArn: association.arn } }),
          options,
        );
      }
      association.entry.targetId = association.arn;
      finish(association.entry, 'created');
    } catch (error) {
      fail(association.entry, error);
    }
  }

  for (const setting of planned.settings) {
    const { entry } = setting;
    if ((entry.action !== 'create' && entry.action !== 'update') || stopped()) continue;
    const options = { abortSignal: ports.signal };
    try {
      if ('attribute' in setting) {
        await connect.send(
          new UpdateInstanceAttributeCommand({
            InstanceId: targetIdentity.id,
            AttributeType: setting.attribute.type as InstanceAttributeType,
            Value: setting.attribute.value,
          }),
          options,
        );
        finish(entry, 'updated');
      } else {
        try {
          await connect.send(
            new AssociateApprovedOriginCommand({ InstanceId: targetIdentity.id, Origin: setting.origin }),
            options,
          );
        } catch (error) {
          // Approved since the plan read the target (or by a retried call whose answer was lost).
          if ((error as Error).name !== 'ResourceConflictException') throw error;
          entry.warning = 'was already approved when the restore associated it (ResourceConflictException)';
        }
        entry.targetId = setting.origin;
        finish(entry, 'created');
      }
    } catch (error) {
      fail(entry, error);
    }
  }

  const resolve = (item: WorkItem, state: ResourceState): ResourceState => {
    const { value, missing } = resolveSymbols(state, (h) => resolved.get(h), targetIdentity);
    if (missing.length) {
      const names = missing.map((h) => {
        const r = index.at(h);
        return r ? `${kindNamed(r.kind).label} "${r.name}"` : `#${h}`;
      });
      throw new UnresolvedReferenceError(
        `${item.entry.kind} "${item.entry.name}" references ${names.join(', ')}, which was not created in the target`,
      );
    }
    // The last guard: nothing that names the source instance is ever written into another one.
    if (!planned.sameInstance && JSON.stringify(value).includes(planned.sourceIdentity.id)) {
      throw new UnresolvedReferenceError(
        `${item.entry.kind} "${item.entry.name}" still names the source instance ${planned.sourceIdentity.id}; it is not written`,
      );
    }
    return value as ResourceState;
  };

  const pending = planned.items.filter((i) => i.entry.action === 'create' || i.entry.action === 'update');
  const creates = (item: WorkItem) => item.entry.action === 'create' && !item.fillBlank;
  /** The parts of a phase an item writes. */
  const toWrite = (item: WorkItem, phase: RestorePhase) =>
    partsOf(item, phase).filter((p) => (creates(item) ? hasContent(item.desired[p]) : item.changed.has(p)));
  /** The last phase an item has something to write in: its outcome is known after it. */
  const lastPhase = new Map(
    pending.map((item) => [
      item,
      Math.max(
        0,
        ...RESTORE_PHASES.map((phase, i) =>
          (creates(item) && phase === 'main') || toWrite(item, phase).length ? i : 0,
        ),
      ),
    ]),
  );
  const failed = new Set<WorkItem>();
  /** Items that have written something (an abort can stop one half-way). */
  const started = new Set<WorkItem>();
  for (const [phaseIndex, phase] of RESTORE_PHASES.entries()) {
    // The sequence one writer would follow: kinds in the registry's (restore) order, each kind's
    // resources in its own order. A resource waits only for what comes before it in that sequence
    // and that it needs: the resources its parts reference that this phase creates, and (for a kind
    // with an order, e.g. hierarchy groups by level) the resources of its kind ranked lower. The
    // rest runs side by side, each Connect operation under its own rate limiter in the client.
    const sequence = KIND_NAMES.flatMap((kind) =>
      pending
        .filter((i) => i.kind === kind && !failed.has(i) && (lastPhase.get(i) ?? 0) >= phaseIndex)
        .sort((a, b) => (a.spec.order?.(a.source) ?? 0) - (b.spec.order?.(b.source) ?? 0)),
    );
    const created = new Map<number, WorkItem>(
      sequence.filter((i) => creates(i) && phase === 'main').map((i) => [i.handle, i]),
    );
    const waits = sequence.map((item, position) => {
      const earlier = new Set(sequence.slice(0, position));
      const waitsFor = new Set(
        [...handlesIn(pick(item.desired, partsOf(item, phase)))]
          .map((handle) => created.get(handle))
          .filter((other): other is WorkItem => other !== undefined && earlier.has(other)),
      );
      if (item.spec.order) {
        const rank = item.spec.order(item.source);
        for (const other of earlier)
          if (other.kind === item.kind && (other.spec.order?.(other.source) ?? 0) < rank) waitsFor.add(other);
      }
      return waitsFor;
    });
    // One lane a kind, or a single lane when writing one at a time.
    const concurrency = ports.concurrency ?? DEFAULT_CONCURRENCY;
    const laneOf = (item: WorkItem) => (concurrency === 1 ? 'all' : item.kind);
    await runInWaves(sequence, waits, concurrency, laneOf, (item) => write(item, phase, phaseIndex));
  }

  /** Writes one resource's parts of one phase; records its outcome after its last phase. */
  async function write(item: WorkItem, phase: RestorePhase, phaseIndex: number): Promise<void> {
    if (stopped()) return;
    const parts = partsOf(item, phase);
    const changed = new Set(toWrite(item, phase));
    try {
      if (creates(item) && phase === 'main') {
        started.add(item);
        // Whether this create was given a password (other creates run beside it).
        let gavePassword = false;
        const createContext: WriteContext = {
          ...ctx,
          newPassword: () => {
            gavePassword = true;
            return ctx.newPassword();
          },
        };
        const created = await item.spec
          .create(createContext, resolve(item, pick(item.desired, parts)), item.source)
          .catch(async (error: unknown) => {
            // A create whose answer was lost and that the SDK retried into a duplicate (adopt.ts).
            const found = isRetriedDuplicate(error)
              ? await findLostCreate(item, readContext, ports.propagationRetry)
              : undefined;
            if (!found) throw error;
            item.entry.warning = `the create's answer was lost and its retry was answered DuplicateResourceException: adopted the target's ${item.kind} "${found.name}" (${found.id}), made by the lost attempt or, in the moments between plan and apply, by someone else`;
            // A user made by the lost attempt has the random password nobody was given.
            if (gavePassword) passwordResets.push({ userId: found.id, username: item.entry.name });
            ports.logger.warn('resource adopted after a lost create answer', {
              kind: item.kind,
              sourceId: item.source.id,
              targetId: found.id,
            });
            return { id: found.id, arn: found.arn };
          });
        resolved.set(item.handle, created);
        item.target = created;
        item.entry.targetId = created.id;
        ports.journal?.created({ kind: item.kind, sourceId: item.source.id, targetId: created.id });
      } else if (changed.size && item.target) {
        const desired = resolve(item, pick(item.desired, parts));
        started.add(item);
        await item.spec.update(ctx, phase, item.target, {
          current: creates(item) ? undefined : item.current,
          desired,
          changed,
          source: item.source,
        });
      }
      if (phaseIndex === lastPhase.get(item)) finish(item.entry, creates(item) ? 'created' : 'updated');
    } catch (error) {
      failed.add(item);
      fail(item.entry, error);
    }
  }
  await applyRemovals(
    planned,
    ctx,
    planned.plan.entries.some((e) => e.outcome === 'failed'),
    { stopped, finish, fail },
  );

  const unfinished = `stopped before it was complete (${lost ? 'connection lost' : 'deadline'}): run the restore again (flows and modules left as placeholders are finished in any mode, other resources in mode overwrite)`;
  for (const item of pending) {
    if (item.entry.outcome !== undefined) continue;
    if (!started.has(item)) item.entry.outcome = 'not-run';
    else if (lost) {
      // One error says it all: no warning per resource left half-written.
      item.entry.outcome = 'failed';
      item.entry.error = unfinished;
    } else finish(item.entry, 'failed', new Error(unfinished));
  }
  for (const { entry } of [...planned.associations, ...planned.settings, ...planned.removals]) {
    if (entry.outcome === undefined) entry.outcome = 'not-run';
  }
  secrets.clear();
  if (lost) {
    const entries = planned.plan.entries;
    const written = entries.filter((e) => e.outcome === 'created' || e.outcome === 'updated').length;
    const notRun = entries.filter((e) => e.outcome === 'not-run').length;
    throw new ConnectionLostError(
      `${lost.message}. The restore stopped: ${written} resources written, ${notRun} not attempted. Run it again once Connect answers (what was written is matched by name; mode overwrite finishes resources left half-written).`,
      lost.code,
      lost.operation,
      { cause: lost.cause },
    );
  }
  return { passwordResets, aborted };
}

/**
 * Mode mirror, after every create and update: deletes or disables each planned removal, in the
 * plan's order (kinds in reverse restore order, so what references a resource goes before it).
 * When a create or update failed nothing is removed (those entries stay `not-run`): a resource
 * the failed write should have freed may still be in use. A resource already gone
 * (ResourceNotFoundException) counts as removed, with a warning.
 */
async function applyRemovals(
  planned: PlannedRestore,
  ctx: WriteContext,
  writesFailed: boolean,
  track: {
    stopped(): boolean;
    finish(entry: PlanEntry, outcome: 'removed' | 'disabled'): void;
    fail(entry: PlanEntry, error: unknown): void;
  },
): Promise<void> {
  for (const item of planned.removals) {
    const { entry, removal } = item;
    if (entry.action !== 'remove' || !removal) continue;
    if (writesFailed) {
      entry.warning =
        'not removed: a create or update of this restore failed, and removing could leave what it should have freed in use; fix the failure and run the mirror again';
      continue;
    }
    if (track.stopped()) break;
    const outcome = removal.operation === 'disable' ? 'disabled' : 'removed';
    try {
      await removal.remove(ctx, item.target);
      track.finish(entry, outcome);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ResourceNotFoundException' && removal.operation === 'delete') {
        entry.warning = 'was gone already when the mirror deleted it (ResourceNotFoundException)';
        track.finish(entry, outcome);
      } else if (name === 'ResourceInUseException') {
        const e = error as Error;
        track.fail(
          entry,
          Object.assign(
            new Error(
              `${e.message} (Connect refuses to delete the ${kindNamed(item.kind).label} while it is in use: something this mirror keeps references it, so it stays)`,
            ),
            { name },
          ),
        );
      } else {
        track.fail(entry, error);
      }
    }
  }
}
