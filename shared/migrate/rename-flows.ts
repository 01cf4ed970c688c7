/**
 * Prefixing flow names so that a team's own flows sort first: connect-backup's `rename-flows`,
 * done idempotently (issue 13 §1). By default only the flows a new instance comes with
 * ({@link DEFAULT_FLOW_NAMES}); with `allFlows`, every flow of the instance.
 *
 * Connect operations: SearchContactFlows (the index, with each flow's name, description, type and
 * state; one call per 100 flows) and UpdateContactFlowName (one call per renamed flow; its default
 * quota is 2 requests a second, which the caller's client enforces).
 */
import {
  type ConnectClient,
  type ContactFlow,
  paginateSearchContactFlows,
  UpdateContactFlowNameCommand,
} from '@aws-sdk/client-connect';
import { collect, itemsOf } from '#shared/kinds/support/read.js';
import { INSTANCE_DEFAULT_FLOWS } from '#shared/kinds/support/removal.js';
import { PAGE } from '#shared/kinds/support/search.js';

/**
 * The names of the flows a new Amazon Connect instance is created with: the 8 "Default …" flows and
 * the "Sample …" flows of a current instance, the list mirror restores never remove
 * (`INSTANCE_DEFAULT_FLOWS`; our reading of a fresh instance, also the emulator's new-instance seed,
 * and a test keeps the two equal). Names compare exactly, as Connect's do.
 */
export const DEFAULT_FLOW_NAMES: readonly string[] = INSTANCE_DEFAULT_FLOWS;

/** What to rename, and how. */
export interface RenameFlowsOptions {
  connect: ConnectClient;
  instanceId: string;
  /** Put before each name; not empty. connect-backup's is `~`. */
  prefix: string;
  /** Every flow of the instance instead of only {@link DEFAULT_FLOW_NAMES}. */
  allFlows?: boolean;
  /** Plan only: list what would be renamed and call no write operation. */
  dryRun?: boolean;
  /** Called after each flow's outcome, for progress. */
  onOutcome?: (outcome: RenameOutcome, done: number, total: number) => void;
  signal?: AbortSignal;
}

/** One flow's outcome. `failed` carries Connect's error (e.g. DuplicateResourceException). */
export interface RenameOutcome {
  flowId: string;
  name: string;
  newName: string;
  result: 'renamed' | 'would-rename' | 'already-prefixed' | 'failed';
  error?: string;
}

/** Every chosen flow's outcome, in the order of the flows' names. */
export interface RenameFlowsReport {
  instanceId: string;
  prefix: string;
  dryRun: boolean;
  outcomes: RenameOutcome[];
  /** Default flow names the instance has no flow with (only when renaming the defaults). */
  missingDefaults: string[];
}

/**
 * Renames the chosen flows to `prefix + name`, leaving alone each flow whose name already starts
 * with the prefix (so a second run renames nothing). Each flow's current description is sent
 * unchanged with its new name. One flow failing does not stop the others: its outcome is `failed`.
 * @throws the Connect error of SearchContactFlows (e.g. ResourceNotFoundException for an unknown
 *   instance), before anything is written; Error when the prefix is empty.
 */
export async function renameFlows(options: RenameFlowsOptions): Promise<RenameFlowsReport> {
  if (!options.prefix) throw new Error('The prefix must not be empty.');
  const { connect, instanceId, prefix, signal } = options;
  const flows = await collect(
    itemsOf(
      paginateSearchContactFlows(
        { client: connect, pageSize: PAGE },
        { InstanceId: instanceId, MaxResults: PAGE },
      ),
      (page) => page.ContactFlows,
    ),
  );
  const defaults = new Set(DEFAULT_FLOW_NAMES);
  const withPrefix = new Set(DEFAULT_FLOW_NAMES.map((name) => prefix + name));
  const chosen = flows
    .filter((flow): flow is ContactFlow & { Id: string; Name: string } => Boolean(flow.Id && flow.Name))
    .filter((flow) => options.allFlows || defaults.has(flow.Name) || withPrefix.has(flow.Name))
    .sort((a, b) => a.Name.localeCompare(b.Name));
  const present = new Set(chosen.map((flow) => flow.Name));
  const missingDefaults = options.allFlows
    ? []
    : DEFAULT_FLOW_NAMES.filter((name) => !present.has(name) && !present.has(prefix + name));
  const outcomes: RenameOutcome[] = [];
  for (const flow of chosen) {
    const base = { flowId: flow.Id, name: flow.Name, newName: prefix + flow.Name };
    let outcome: RenameOutcome;
    if (flow.Name.startsWith(prefix)) outcome = { ...base, newName: flow.Name, result: 'already-prefixed' };
    else if (options.dryRun) outcome = { ...base, result: 'would-rename' };
    else {
      try {
        await connect.send(
          new UpdateContactFlowNameCommand({
            InstanceId: instanceId,
            ContactFlowId: flow.Id,
            Name: base.newName,
            // Sent as it is: the reference does not say what an absent Description does.
            ...(flow.Description !== undefined ? { Description: flow.Description } : {}),
          }),
          { abortSignal: signal },
        );
        outcome = { ...base, result: 'renamed' };
      } catch (error) {
        if (signal?.aborted) throw error;
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        outcome = { ...base, result: 'failed', error: `${name}: ${message}` };
      }
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome, outcomes.length, chosen.length);
  }
  return { instanceId, prefix, dryRun: Boolean(options.dryRun), outcomes, missingDefaults };
}
