/** Per-operation counters the emulator serves at `GET /__emulator/stats`. */

export interface OperationStats {
  /** Requests routed to the operation, including throttled and failed ones. */
  calls: number;
  /** 429 ThrottlingException answers from the token buckets. */
  throttles: number;
  /** Error answers other than throttles (validation, not found, conflicts, faults). */
  errors: number;
  /** Injected faults of any kind. */
  faults: number;
}

export interface StatsSnapshot {
  operations: Record<string, OperationStats>;
  totals: OperationStats;
}

const MUTATING =
  /^(Create|Update|Delete|Associate|Disassociate|Tag|Untag|Put|Start|Stop|Claim|Release|Import|Activate|Deactivate|Batch(Create|Update|Delete|Put|Associate|Disassociate)|Resume|Suspend|Replicate|Monitor|Transfer|Dismiss|Pause|Send|Submit|Complete)/;

/** True for operations that change state (by the API's naming convention). */
export function isMutating(operation: string): boolean {
  return MUTATING.test(operation);
}

export class Stats {
  private operations = new Map<string, OperationStats>();

  private entry(operation: string): OperationStats {
    let stats = this.operations.get(operation);
    if (!stats) {
      stats = { calls: 0, throttles: 0, errors: 0, faults: 0 };
      this.operations.set(operation, stats);
    }
    return stats;
  }

  call(operation: string): void {
    this.entry(operation).calls += 1;
  }

  throttle(operation: string): void {
    this.entry(operation).throttles += 1;
  }

  error(operation: string): void {
    this.entry(operation).errors += 1;
  }

  fault(operation: string): void {
    this.entry(operation).faults += 1;
  }

  snapshot(): StatsSnapshot {
    const operations = Object.fromEntries(
      [...this.operations.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([op, s]) => [op, { ...s }]),
    );
    const totals = { calls: 0, throttles: 0, errors: 0, faults: 0 };
    for (const s of this.operations.values()) {
      totals.calls += s.calls;
      totals.throttles += s.throttles;
      totals.errors += s.errors;
      totals.faults += s.faults;
    }
    return { operations, totals };
  }

  reset(): void {
    this.operations = new Map();
  }
}
