/** Creating and publishing flows from `FlowSpec`s (CreateContactFlow, UpdateContactFlowContent). */
import type { SeedClient } from './api.js';
import type { FlowSpec } from './default-flows.js';
import { flowContent } from './flow-language.js';
import type { Ref, Refs } from './refs.js';

/** What a flow holds before its real content is published: it ends the contact. */
function placeholderContent(name: string): string {
  return flowContent(name, [{ key: 'disconnect', type: 'DisconnectParticipant' }]);
}

/**
 * Creates a flow (CreateContactFlow) and records it in `refs.flows`.
 *
 * A flow is created PUBLISHED with its content when everything that content references exists.
 * A self-referencing flow is created SAVED with placeholder content, then published with
 * UpdateContactFlowContent. With `deferPublish`, the flow stays SAVED (placeholder content) and the
 * caller publishes it later with `publishFlow`, once what it references exists (e.g. a flow ↔ queue
 * cycle).
 */
export async function createFlow(
  client: SeedClient,
  refs: Refs,
  spec: FlowSpec,
  options: { deferPublish?: boolean } = {},
): Promise<Ref> {
  const saved = spec.selfReferencing || options.deferPublish;
  const created = await client.send('CreateContactFlow', {
    Name: spec.name,
    Type: spec.type,
    Description: spec.description,
    Status: saved ? 'SAVED' : 'PUBLISHED',
    Content: saved ? placeholderContent(spec.name) : spec.content(refs),
    ...(spec.tags ? { Tags: spec.tags } : {}),
  });
  const ref = refs.flows.set(spec.name, { id: created.ContactFlowId!, arn: created.ContactFlowArn! });
  if (spec.selfReferencing && !options.deferPublish) await publishFlow(client, refs, spec);
  return ref;
}

/** Publishes a flow's real content (UpdateContactFlowContent on the flow id). */
export async function publishFlow(client: SeedClient, refs: Refs, spec: FlowSpec): Promise<void> {
  await client.send('UpdateContactFlowContent', {
    ContactFlowId: refs.flows.get(spec.name).id,
    Content: spec.content(refs),
  });
}

/** Creates flows in order (each one's references must exist by its turn). */
export async function createFlows(client: SeedClient, refs: Refs, specs: FlowSpec[]): Promise<void> {
  for (const spec of specs) await createFlow(client, refs, spec);
}
