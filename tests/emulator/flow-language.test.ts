/**
 * The flow-language structure check on publish (handlers/flow-language.ts): every seeded flow and
 * module passes it, so do three public-style examples, and each documented rule rejects content that
 * breaks it.
 *
 * The fixtures in fixtures/flow-language/ are written for these tests in the shapes public material
 * shows: `prompt-then-disconnect.json` follows the example of the API Reference's "Example flow in
 * Amazon Connect Flow language" page (a play-prompt block, then disconnect; docs.aws.amazon.com/connect/
 * latest/APIReference/flow-language-example.html); `lambda-lookup.json` the shape DescribeContactFlow
 * returns for designer-built flows (UUID identifiers, `position` metadata, empty `Errors` and
 * `Conditions` lists, as in flows published from the console); `return-module.json` a flow module
 * ending in the Return block (`EndFlowModuleExecution`, "available only in flow modules") with the
 * module `Settings` the console exports.
 */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateContactFlowCommand, CreateContactFlowModuleCommand } from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/errors.js';
import { type FlowContentKind, structureProblems } from './handlers/flow-language.js';
import { runSeed } from './seeds/index.js';
import { World } from './state.js';
import { startWithInstance } from './testing.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/flow-language/${name}`, import.meta.url), 'utf8');

const FIXTURES: ReadonlyArray<[string, FlowContentKind]> = [
  ['prompt-then-disconnect.json', 'flow'],
  ['lambda-lookup.json', 'flow'],
  ['return-module.json', 'module'],
];

/** A flow of two actions, `a` → `b`, with the given changes. */
function twoActions(change: (content: Record<string, unknown>) => void = () => {}): string {
  const content: Record<string, unknown> = {
    Version: '2019-10-30',
    StartAction: 'a',
    Actions: [
      {
        Identifier: 'a',
        Type: 'MessageParticipant',
        Parameters: { Text: 'Hello' },
        Transitions: { NextAction: 'b', Errors: [{ NextAction: 'b', ErrorType: 'NoMatchingError' }] },
      },
      { Identifier: 'b', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  };
  change(content);
  return JSON.stringify(content);
}

const actionsOf = (content: Record<string, unknown>) => content.Actions as Array<Record<string, unknown>>;

describe('the flow-language structure check', () => {
  it('passes every flow and flow module of the new-instance, demo and large seeds', async () => {
    const world = new World();
    await runSeed('demo', { world, accounts: {} });
    await runSeed('large', { world, accounts: {} }, { large: { users: 1, flows: 30, flowModules: 30 } });
    const contents: Array<[string, string, FlowContentKind]> = [];
    for (const instance of world.instances.values()) {
      for (const flow of instance.flows.all()) {
        contents.push([`${instance.alias}/${flow.name}`, flow.entity.Content!, 'flow']);
        if (flow.savedDraft)
          contents.push([`${instance.alias}/${flow.name}:$SAVED`, flow.savedDraft.Content, 'flow']);
      }
      for (const module of instance.flowModules.all())
        contents.push([`${instance.alias}/${module.name}`, module.entity.Content!, 'module']);
    }

    const problems = contents.flatMap(([name, content, kind]) =>
      structureProblems(JSON.parse(content) as Record<string, unknown>, kind).map((p) => `${name}: ${p}`),
    );

    const perInstance = (alias: string) => contents.filter(([name]) => name.startsWith(`${alias}/`)).length;
    // demo-source: 32 flows (one with a saved draft) and 2 modules; demo-target: the 20 default
    // flows; large: 30 flows and 30 modules.
    expect(['demo-source', 'demo-target', 'large'].map(perInstance)).toEqual([35, 20, 60]);
    expect(problems).toEqual([]);
  });

  it('publishes the public-style example flows and module', async () => {
    const h = await startWithInstance({ alias: 'flow-language' });

    for (const [name, kind] of FIXTURES) {
      expect(structureProblems(JSON.parse(fixture(name)) as Record<string, unknown>, kind), name).toEqual([]);
      if (kind === 'flow') {
        await h.connect.send(
          new CreateContactFlowCommand({
            InstanceId: h.InstanceId,
            Name: name,
            Type: 'CONTACT_FLOW',
            Content: fixture(name),
          }),
        );
      } else {
        await h.connect.send(
          new CreateContactFlowModuleCommand({
            InstanceId: h.InstanceId,
            Name: name,
            Content: fixture(name),
          }),
        );
      }
    }

    expect([h.instance.flows.size, h.instance.flowModules.size]).toEqual([2, 1]);
  });

  const broken: ReadonlyArray<[string, string, string[]]> = [
    [
      'another Version',
      twoActions((c) => {
        c.Version = '2020-01-01';
      }),
      ['Version must be "2019-10-30", the only flow-language version (got "2020-01-01").'],
    ],
    [
      'a StartAction naming no action',
      twoActions((c) => {
        c.StartAction = 'start';
      }),
      ['StartAction "start" does not name an action of the flow.'],
    ],
    [
      'two actions with one identifier',
      twoActions((c) => {
        actionsOf(c)[1]!.Identifier = 'a';
      }),
      [
        'Action identifier "a" is used by more than one action.',
        'Action "a": Transitions.NextAction "b" does not name an action of the flow.',
        'Action "a": Transitions.Errors[0].NextAction "b" does not name an action of the flow.',
      ],
    ],
    [
      'a transition to a missing action',
      twoActions((c) => {
        (actionsOf(c)[0]!.Transitions as Record<string, unknown>).Conditions = [
          { NextAction: 'gone', Condition: { Operator: 'Equals', Operands: ['1'] } },
        ];
      }),
      ['Action "a": Transitions.Conditions[0].NextAction "gone" does not name an action of the flow.'],
    ],
    [
      'an identifier with a character the language forbids',
      twoActions((c) => {
        actionsOf(c)[1]!.Identifier = 'b:1';
        (actionsOf(c)[0]!.Transitions as Record<string, unknown>).NextAction = 'b:1';
        (actionsOf(c)[0]!.Transitions as Record<string, unknown>).Errors = [];
      }),
      [
        'Action identifier "b:1" holds a character that is not allowed (% : ( \\ / ) = $ , ; [ ] { }).',
        'Action "a": Transitions.NextAction "b:1" does not name an action of the flow.',
      ],
    ],
    [
      'the module-only Return block in a flow',
      twoActions((c) => {
        actionsOf(c)[1]!.Type = 'EndFlowModuleExecution';
      }),
      ['Action "b": EndFlowModuleExecution is available only in flow modules.'],
    ],
    [
      'more than 250 actions',
      JSON.stringify({
        Version: '2019-10-30',
        StartAction: 'a0',
        Actions: Array.from({ length: 251 }, (_, i) => ({
          Identifier: `a${i}`,
          Type: 'DisconnectParticipant',
          Parameters: {},
          Transitions: {},
        })),
      }),
      ['A flow may hold at most 250 actions (got 251).'],
    ],
    ['no Actions list', '{"Version":"2019-10-30","StartAction":"a"}', ['Actions must be a list of actions.']],
  ];
  for (const [what, content, problems] of broken) {
    it(`rejects publishing ${what} with InvalidContactFlowException, and saves it as SAVED`, async () => {
      const h = await startWithInstance({ alias: 'flow-language' });
      const create = (Status: 'PUBLISHED' | 'SAVED') =>
        h.connect.send(
          new CreateContactFlowCommand({
            InstanceId: h.InstanceId,
            Name: `${Status} ${randomUUID()}`,
            Type: 'CONTACT_FLOW',
            Content: content,
            Status,
          }),
        );

      const error = await rejectionOf(create('PUBLISHED'));
      await create('SAVED');

      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidContactFlowException', 400]);
      expect(error.problems).toEqual(problems.map((message) => ({ message })));
      expect(h.instance.flows.all().map((f) => f.entity.Status)).toEqual(['SAVED']);
    });
  }

  it('accepts the Return block in a flow module, with InvalidContactFlowModuleException for a broken one', async () => {
    const h = await startWithInstance({ alias: 'flow-language' });
    const module = twoActions((c) => {
      actionsOf(c)[1]!.Type = 'EndFlowModuleExecution';
    });

    await h.connect.send(
      new CreateContactFlowModuleCommand({ InstanceId: h.InstanceId, Name: 'Return', Content: module }),
    );
    const error = await rejectionOf(
      h.connect.send(
        new CreateContactFlowModuleCommand({
          InstanceId: h.InstanceId,
          Name: 'Broken',
          Content: twoActions((c) => {
            c.StartAction = 'nowhere';
          }),
        }),
      ),
    );

    expect([error.name, error.Problems]).toEqual([
      'InvalidContactFlowModuleException',
      [{ message: 'StartAction "nowhere" does not name an action of the flow.' }],
    ]);
    expect(h.instance.flowModules.all().map((m) => m.name)).toEqual(['Return']);
  });
});
