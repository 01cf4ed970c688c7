/**
 * The structure of Amazon Connect Flow Language content, as publishing checks it (flows and flow
 * modules alike). What the API Reference documents, and nothing more:
 *
 * - `Version` is `"2019-10-30"`, "currently the only supported version" (flow-language example);
 * - `Actions` is a list of at most 250 actions ("A single Flow may have no more than 250 Actions");
 * - each action has a `Type` string and an `Identifier` that is "unique among all Actions within the
 *   same Flow", at most 50 characters, without `% : ( \ / ) = $ , ; [ ] { }` and not one of the
 *   reserved strings (`__proto__`, `constructor`, …) (flow-language-actions);
 * - `StartAction` "must match the Identifier of an Action in the Actions list";
 * - every `Transitions` target (`NextAction`, `Errors[].NextAction`, `Conditions[].NextAction`) names
 *   an action of the same content (a transition is a move to another action of the flow);
 * - `EndFlowModuleExecution` (the Return block) "is available only in flow modules".
 *
 * Not checked: action types other than that one, parameters, which actions each flow type allows,
 * unreachable actions, `Metadata` and a module's `Settings`.
 */

/** The only flow-language version the service supports. */
export const FLOW_LANGUAGE_VERSION = '2019-10-30';
/** The most actions one flow may hold. */
const MAX_ACTIONS = 250;
/** The longest action identifier. */
const MAX_IDENTIFIER = 50;
const FORBIDDEN_IDENTIFIER_CHARACTERS = /[%:(\\/)=$,;[\]{}]/;
const RESERVED_IDENTIFIERS = new Set([
  '__proto__',
  'constructor',
  '__defineGetter__',
  '__defineSetter__',
  'toString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'valueOf',
]);
/** Action types only flow modules may hold. */
const MODULE_ONLY_ACTIONS = new Set(['EndFlowModuleExecution']);

/** Where the content is published. */
export type FlowContentKind = 'flow' | 'module';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The `NextAction` targets of one action's `Transitions`, each with where it sits. */
function transitionTargets(action: Json): Array<{ where: string; target: unknown }> {
  const transitions = action.Transitions;
  if (!isObject(transitions)) return [];
  const out: Array<{ where: string; target: unknown }> = [];
  if (transitions.NextAction !== undefined) out.push({ where: 'NextAction', target: transitions.NextAction });
  for (const list of ['Errors', 'Conditions'] as const) {
    const entries = transitions[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (isObject(entry) && entry.NextAction !== undefined) {
        out.push({ where: `${list}[${index}].NextAction`, target: entry.NextAction });
      }
    });
  }
  return out;
}

function identifierProblem(identifier: unknown, index: number): string | undefined {
  if (typeof identifier !== 'string' || identifier === '') return `Actions[${index}] has no Identifier.`;
  if (identifier.length > MAX_IDENTIFIER)
    return `Action identifier "${identifier}" is longer than ${MAX_IDENTIFIER} characters.`;
  if (FORBIDDEN_IDENTIFIER_CHARACTERS.test(identifier))
    return `Action identifier "${identifier}" holds a character that is not allowed (% : ( \\ / ) = $ , ; [ ] { }).`;
  if (RESERVED_IDENTIFIERS.has(identifier)) return `Action identifier "${identifier}" is a reserved string.`;
  return undefined;
}

/**
 * Every structural problem of parsed flow-language content; empty when the structure is sound.
 * @param kind `module` allows the module-only actions.
 */
export function structureProblems(content: Json, kind: FlowContentKind): string[] {
  const problems: string[] = [];
  if (content.Version !== FLOW_LANGUAGE_VERSION) {
    problems.push(
      `Version must be "${FLOW_LANGUAGE_VERSION}", the only flow-language version (got ${JSON.stringify(content.Version)}).`,
    );
  }
  if (!Array.isArray(content.Actions)) {
    problems.push('Actions must be a list of actions.');
    return problems;
  }
  const actions = content.Actions as unknown[];
  if (actions.length > MAX_ACTIONS) {
    problems.push(`A flow may hold at most ${MAX_ACTIONS} actions (got ${actions.length}).`);
  }
  const identifiers = new Set<string>();
  actions.forEach((action, index) => {
    if (!isObject(action)) {
      problems.push(`Actions[${index}] is not an object.`);
      return;
    }
    const problem = identifierProblem(action.Identifier, index);
    if (problem) problems.push(problem);
    else if (identifiers.has(action.Identifier as string))
      problems.push(`Action identifier "${action.Identifier}" is used by more than one action.`);
    else identifiers.add(action.Identifier as string);
    if (typeof action.Type !== 'string' || action.Type === '') {
      problems.push(`Action "${String(action.Identifier)}" has no Type.`);
    } else if (kind === 'flow' && MODULE_ONLY_ACTIONS.has(action.Type)) {
      problems.push(
        `Action "${String(action.Identifier)}": ${action.Type} is available only in flow modules.`,
      );
    }
  });
  if (typeof content.StartAction !== 'string' || !identifiers.has(content.StartAction)) {
    problems.push(`StartAction ${JSON.stringify(content.StartAction)} does not name an action of the flow.`);
  }
  for (const action of actions) {
    if (!isObject(action)) continue;
    for (const { where, target } of transitionTargets(action)) {
      if (typeof target !== 'string' || !identifiers.has(target)) {
        problems.push(
          `Action "${String(action.Identifier)}": Transitions.${where} ${JSON.stringify(target)} does not name an action of the flow.`,
        );
      }
    }
  }
  return problems;
}
