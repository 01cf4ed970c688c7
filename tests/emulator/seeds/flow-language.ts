/**
 * Builds Amazon Connect Flow Language documents (`"Version": "2019-10-30"`) for the seeds: the
 * `Content` of CreateContactFlow / UpdateContactFlowContent and CreateContactFlowModule.
 *
 * Action identifiers are UUID-shaped but derived from the flow's name and the step's key, so the
 * same seed always produces the same content apart from the resource ARNs inside it.
 */
import { createHash } from 'node:crypto';
import type { Refs } from './refs.js';

/** One action of a flow, written with keys instead of identifiers. */
export interface FlowStep {
  /** Unique within the flow; the first step is the flow's `StartAction`. */
  key: string;
  /**
   * A literal action identifier instead of the derived UUID. Real flows have some friendly ones
   * (e.g. "Save collected data to the current contact").
   */
  id?: string;
  /** The action type, e.g. `MessageParticipant`, `TransferContactToQueue`. */
  type: string;
  parameters?: Record<string, unknown>;
  /** Key of the next action (`Transitions.NextAction`). */
  next?: string;
  /** `Transitions.Errors`: error type → key of the action to go to. */
  errors?: Record<string, string>;
  /** `Transitions.Conditions`, in order. */
  conditions?: Array<{ operator: string; operands: string[]; next: string }>;
  /** Extra designer metadata for the action (`Metadata.ActionMetadata[id]`), e.g. display names. */
  metadata?: Record<string, unknown>;
}

interface FlowAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Errors?: Array<{ NextAction: string; ErrorType: string }>;
    Conditions?: Array<{ NextAction: string; Condition: { Operator: string; Operands: string[] } }>;
  };
}

/** A deterministic, UUID-shaped action identifier. */
export function actionId(scope: string, key: string): string {
  const hex = createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Serialises a flow (or flow module) in the Flow Language.
 * @param scope the flow's name: it seeds the action identifiers.
 * @throws Error when a transition names a key that is not a step (a bug in the seed).
 */
export function flowContent(scope: string, steps: FlowStep[]): string {
  const ids = new Map(steps.map((step) => [step.key, step.id ?? actionId(scope, step.key)]));
  const idOf = (key: string): string => {
    const id = ids.get(key);
    if (!id) throw new Error(`flow "${scope}": transition to unknown step "${key}"`);
    return id;
  };
  const actions: FlowAction[] = steps.map((step) => {
    const transitions: FlowAction['Transitions'] = {};
    const hasTransitions = step.next !== undefined || step.errors || step.conditions;
    if (step.next !== undefined) transitions.NextAction = idOf(step.next);
    if (hasTransitions) {
      transitions.Errors = Object.entries(step.errors ?? {}).map(([ErrorType, key]) => ({
        NextAction: idOf(key),
        ErrorType,
      }));
      transitions.Conditions = (step.conditions ?? []).map((c) => ({
        NextAction: idOf(c.next),
        Condition: { Operator: c.operator, Operands: c.operands },
      }));
    }
    return {
      Identifier: idOf(step.key),
      Type: step.type,
      Parameters: step.parameters ?? {},
      Transitions: transitions,
    };
  });
  const actionMetadata = Object.fromEntries(
    steps.map((step, index) => [
      idOf(step.key),
      { position: { x: 180 + 260 * index, y: 40 + 160 * (index % 3) }, ...(step.metadata ?? {}) },
    ]),
  );
  const first = steps[0];
  if (!first) throw new Error(`flow "${scope}" has no actions`);
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: idOf(first.key),
    Metadata: { entryPointPosition: { x: 40, y: 40 }, snapToGrid: false, ActionMetadata: actionMetadata },
    Actions: actions,
  });
}

/** `Equals` conditions, one per operand, as Compare / GetParticipantInput / Lex blocks use them. */
export function equalsEach(cases: Record<string, string>): FlowStep['conditions'] {
  return Object.entries(cases).map(([operand, next]) => ({ operator: 'Equals', operands: [operand], next }));
}

/** The True/False branches of a CheckHoursOfOperation action. */
export function openClosed(open: string, closed: string): FlowStep['conditions'] {
  return equalsEach({ True: open, False: closed });
}

// Steps both the default and the demo flows use.

export const disconnect: FlowStep = { key: 'disconnect', type: 'DisconnectParticipant' };
export const endFlow: FlowStep = { key: 'end', type: 'EndFlowExecution' };

/** TransferContactToQueue: the queue set before; any error goes to `onError`. */
export const transferToQueue = (key: string, onError: string): FlowStep => ({
  key,
  type: 'TransferContactToQueue',
  next: onError,
  errors: { QueueAtCapacity: onError, NoMatchingError: onError },
});

/** UpdateContactTargetQueue to a queue by name. */
export const setQueue = (
  refs: Refs,
  key: string,
  queue: string,
  next: string,
  onError: string,
): FlowStep => ({
  key,
  type: 'UpdateContactTargetQueue',
  parameters: { QueueId: refs.queues.get(queue).arn },
  next,
  errors: { NoMatchingError: onError },
  metadata: { queue: { id: refs.queues.get(queue).arn, text: queue } },
});

/** TransferToFlow to a flow by name. */
export const transferToFlow = (refs: Refs, key: string, flow: string, onError: string): FlowStep => ({
  key,
  type: 'TransferToFlow',
  parameters: { ContactFlowId: refs.flows.get(flow).arn },
  next: onError,
  errors: { NoMatchingError: onError },
  metadata: { ContactFlow: { id: refs.flows.get(flow).arn, text: flow } },
});

/** UpdateContactEventHooks: one hook to a flow by name (`metadata` adds designer members). */
export const eventHook = (
  refs: Refs,
  key: string,
  hook: string,
  flow: string,
  next: string,
  metadata: Record<string, unknown> = {},
): FlowStep => ({
  key,
  type: 'UpdateContactEventHooks',
  parameters: { EventHooks: { [hook]: refs.flows.get(flow).arn } },
  next,
  errors: { NoMatchingError: next },
  metadata: { contactFlow: { id: refs.flows.get(flow).arn, text: flow }, ...metadata },
});
