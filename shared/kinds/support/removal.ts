/**
 * What mirror mode never removes: the resources Amazon Connect creates with every instance
 * (../shared/connect-api/new-instance-defaults.md). A mirror of a snapshot that lacks one of them
 * keeps the target's and says why, so that no restore leaves an instance without its default
 * routing, its administrator profile or the flows Connect's own features fall back on.
 */
import type { KindRemoval, StoredDocument, WriteContext } from '../types.js';

/**
 * The flows a new instance comes with: the 8 "Default …" flows and the "Sample …" flows
 * (new-instance-defaults.md §2; also the flows rename-flows prefixes, `DEFAULT_FLOW_NAMES`).
 */
export const INSTANCE_DEFAULT_FLOWS: readonly string[] = [
  'Default agent hold',
  'Default agent transfer',
  'Default agent whisper',
  'Default customer hold',
  'Default customer queue',
  'Default customer whisper',
  'Default outbound',
  'Default queue transfer',
  'Sample disconnect flow',
  'Sample interruptible queue flow with callback',
  'Sample Lambda integration',
  'Sample note for screenpop',
  'Sample queue customer',
  'Sample recording behavior',
  'Sample secure input with agent',
  'Sample secure input with no agent',
  'Sample AB test',
  'Sample queue configurations flow',
  'Sample after contact work flow',
  'Sample inbound flow (first contact experience)',
];

/** The prompts a new instance comes with (new-instance-defaults.md §3). */
export const INSTANCE_DEFAULT_PROMPTS: readonly string[] = [
  'Beep.wav',
  'CustomerHold.wav',
  'CustomerQueue.wav',
  'Music_Jazz_MyTimetoFly_Inst.wav',
  'Music_Pop_ThisAndThatIsLife_Inst.wav',
  'Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav',
  'Music_Rock_EverywhereTheSunShines_Inst.wav',
];

/** The security profiles a new instance comes with (new-instance-defaults.md §7). */
export const INSTANCE_DEFAULT_SECURITY_PROFILES: readonly string[] = [
  'Admin',
  'Agent',
  'CallCenterManager',
  'QualityAnalyst',
];

/** The reason a default resource of a new instance is kept, or undefined when `name` is none. */
export function instanceDefault(label: string, names: readonly string[], name: string): string | undefined {
  return names.includes(name)
    ? `kept: "${name}" is a ${label} every Amazon Connect instance comes with; mirror never removes one`
    : undefined;
}

/**
 * A `delete` removal: one Delete call per resource (`send`), nothing protected unless `protect`
 * says so.
 */
export function deletion(
  operation: string,
  send: (ctx: WriteContext, target: StoredDocument) => Promise<unknown>,
  protect?: (target: StoredDocument) => string | undefined,
): KindRemoval {
  return {
    operation: 'delete',
    writeOperations: [operation],
    ...(protect ? { protect } : {}),
    async remove(ctx, target) {
      await send(ctx, target);
    },
  };
}
