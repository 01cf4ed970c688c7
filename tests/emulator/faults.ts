/**
 * Fault injection: 500s, 429s, dropped connections or latency, per operation, by probability or by
 * schedule. Rules are checked in order; the first that fires decides the fault of a call.
 *
 * `drop-connection` drops the connection before the operation runs (nothing changes);
 * `drop-after` runs the operation, then drops the connection instead of answering: the change is
 * made but its answer is lost, as when a network path fails after the service applied a request.
 * `lose-write` answers as if the operation ran (200 with an empty result) without running it: a
 * write the service acknowledged and silently lost, which only reading the resource again shows.
 * Meant for operations whose answer is empty (Update*, Associate*, Delete*).
 * Its schedule counts only the calls the operation applied (answered with success), so a call that
 * fails first (a reference still propagating) does not shift which create loses its answer.
 */

export type FaultKind =
  | 'internal-error'
  | 'throttle'
  | 'drop-connection'
  | 'drop-after'
  | 'lose-write'
  | 'latency';

const FAULT_KINDS: readonly FaultKind[] = [
  'internal-error',
  'throttle',
  'drop-connection',
  'drop-after',
  'lose-write',
  'latency',
];

export interface FaultRule {
  /** Operation name (e.g. `DescribeUser`), or `*` for every operation. */
  operation: string;
  kind: FaultKind;
  /** Fire on each matching call with this probability (0..1). */
  probability?: number;
  /** Fire on these calls of the operation, counted from 1 since the rule was set (a schedule). */
  onCalls?: number[];
  /** Fire on every call from this one on (counted from 1); with `untilCall`, a window. */
  fromCall?: number;
  untilCall?: number;
  /** For `latency`: how long to hold the response, in milliseconds. Default 100. */
  latencyMs?: number;
}

/** A fault chosen for one call. */
export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
}

/** Deterministic PRNG (mulberry32), so probabilistic faults repeat for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly calls = new Map<string, number>();
  private readonly applied = new Map<string, number>();
  private random: () => number;

  constructor(
    rules: FaultRule[] = [],
    private readonly seed = 1,
  ) {
    this.random = prng(seed);
    this.set(rules);
  }

  /** Replaces the rules and restarts the per-operation call counts. @throws Error on a bad rule. */
  set(rules: FaultRule[]): void {
    for (const rule of rules) {
      if (!rule.operation || !FAULT_KINDS.includes(rule.kind)) {
        throw new Error(`invalid fault rule: ${JSON.stringify(rule)}`);
      }
      if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) {
        throw new Error(`fault probability must be within 0..1: ${rule.probability}`);
      }
    }
    this.rules = rules.map((r) => ({ ...r }));
    this.calls.clear();
    this.applied.clear();
    this.random = prng(this.seed);
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Counts the call and decides whether a fault other than `drop-after` fires for it, before it runs. */
  decide(operation: string): FaultDecision | undefined {
    return this.#match(operation, this.calls, (kind) => kind !== 'drop-after');
  }

  /**
   * Counts a call the operation applied and decides whether a `drop-after` rule loses its answer.
   * (`onCalls`, `fromCall` and `untilCall` of those rules count applied calls only.)
   */
  decideAfterApplied(operation: string): FaultDecision | undefined {
    return this.#match(operation, this.applied, (kind) => kind === 'drop-after');
  }

  #match(
    operation: string,
    counts: Map<string, number>,
    wanted: (kind: FaultKind) => boolean,
  ): FaultDecision | undefined {
    const n = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, n);
    for (const rule of this.rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (!wanted(rule.kind)) continue;
      const scheduled =
        rule.onCalls?.includes(n) ||
        (rule.fromCall !== undefined &&
          n >= rule.fromCall &&
          (rule.untilCall === undefined || n <= rule.untilCall));
      const byChance = rule.probability !== undefined && this.random() < rule.probability;
      if (scheduled || byChance) return { kind: rule.kind, latencyMs: rule.latencyMs ?? 100 };
    }
    return undefined;
  }
}
