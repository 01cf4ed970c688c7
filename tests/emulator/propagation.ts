/**
 * Eventual consistency, as the API Reference describes it: "changes typically propagate in seconds,
 * in some cases several minutes", `DescribeUser` right after `CreateUser` may answer
 * `ResourceNotFoundException`, and Search "takes time to index changes".
 *
 * With a delay of N ms (`startConnectEmulator({ propagationDelayMs })`), for N ms after a write:
 * - a resource just **created** is not found: Describe, Update and any reference to it (another
 *   resource's member, a flow's content, TagResource) answer as for a resource that does not exist
 *   (404 ResourceNotFoundException; InvalidContactFlowException for flow content), and Search does
 *   not return it. Its name is taken at once (DuplicateResourceException), and List shows it.
 * - a resource just **changed** is returned by Search as it was before the first write of the
 *   window, until N ms after the last one; Describe and List show the change at once.
 * Deletes are immediate everywhere (not modelled). Seeds run before the delay is set, so seeded
 * resources are all visible. Time is wall-clock time (`Date.now()`), not the world's clock: the
 * delay is a property of the service, and clients wait for it in real time.
 */

/** A record whose Search view is frozen until `until` (epoch ms). */
interface Frozen {
  view: unknown;
  until: number;
}

/** The propagation state of one world: which records are not yet visible, or not yet re-indexed. */
export class Propagation {
  /** Milliseconds a write takes to propagate; 0 turns the model off. */
  delayMs = 0;
  /** Record → epoch ms from which it can be found (created within the window). */
  #visibleAt = new WeakMap<object, number>();
  /** Record → the view Search keeps answering (changed within the window). */
  #frozen = new WeakMap<object, Frozen>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A record was just created. */
  created(record: object): void {
    if (this.delayMs > 0) this.#visibleAt.set(record, this.now() + this.delayMs);
  }

  /**
   * A record is about to be written (called before the handler changes it): Search keeps its
   * current view until `delayMs` after this write.
   */
  beforeWrite(record: object): void {
    if (this.delayMs <= 0 || !this.visible(record)) return;
    const until = this.now() + this.delayMs;
    const frozen = this.#frozen.get(record);
    if (frozen && frozen.until > this.now()) frozen.until = until;
    else this.#frozen.set(record, { view: structuredClone(record), until });
  }

  /** False while a record created moments ago has not propagated. */
  visible(record: object): boolean {
    const at = this.#visibleAt.get(record);
    return at === undefined || at <= this.now();
  }

  /**
   * What Search sees of a record: nothing while it is not visible, its frozen view while a change
   * has not been indexed, else the record itself.
   */
  searchView<R extends object>(record: R): R | undefined {
    if (!this.visible(record)) return undefined;
    const frozen = this.#frozen.get(record);
    return frozen && frozen.until > this.now() ? (frozen.view as R) : record;
  }

  /** Makes every write so far visible everywhere, at once (for tests that run one thing after another). */
  settle(): void {
    this.#visibleAt = new WeakMap();
    this.#frozen = new WeakMap();
  }
}
