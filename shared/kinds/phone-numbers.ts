/**
 * Phone numbers claimed to the instance, and the voice flow each rings.
 *
 * Read with ListPhoneNumbersV2 (`TargetArn` = the instance ARN: only the numbers claimed to it),
 * DescribePhoneNumber per number (tags and status, which the list leaves out) and one
 * ListFlowAssociations (`ResourceType` VOICE_PHONE_NUMBER) for the flows, which DescribePhoneNumber
 * does not return. The document is the `ClaimedPhoneNumberSummary` (E.164 number, type, country,
 * description, tags) with the flow's ARN, as ListFlowAssociations gives it, in
 * `related.contactFlowArn`.
 *
 * No change signal: neither the list nor the Describe entity has a `LastModifiedTime`, and an
 * association moves nothing in either, so every run reads the numbers in full (an instance has a
 * handful: the default quota is 5).
 *
 * Restore never claims a number. A number is matched by `mappings.phoneNumbers` (source E.164 →
 * target E.164, or `"same"`, the default in a restore into the same instance) to a number the target has claimed,
 * and only its flow is restored (AssociatePhoneNumberContactFlow, in the content phase, after the
 * flows are published); description and tags stay as the target has them. An unmapped number, or
 * one mapped to a number the target has not claimed, is reported per number.
 */
import {
  AssociatePhoneNumberContactFlowCommand,
  type ClaimedPhoneNumberSummary,
  DescribePhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  type ListPhoneNumbersSummary,
  paginateListFlowAssociations,
  paginateListPhoneNumbersV2,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, LIST_PAGE, notStored, opts } from './support/describe.js';
import { documentOf, itemsOf, mapUnordered } from './support/read.js';
import { sendOptions, text } from './support/restore.js';
import type { KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

/** The numbers claimed to the instance (ListPhoneNumbersV2 with the instance ARN as `TargetArn`). */
function claimedNumbers(ctx: ReadContext): AsyncIterable<ListPhoneNumbersSummary> {
  return itemsOf(
    paginateListPhoneNumbersV2(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { TargetArn: ctx.instanceArn, MaxResults: LIST_PAGE },
      opts(ctx),
    ),
    (page) => page.ListPhoneNumbersSummaryList,
  );
}

/**
 * The flow each number rings: phone number → flow, as ListFlowAssociations (VOICE_PHONE_NUMBER)
 * answers them (ARNs, by the model's shapes), keyed by the number's ARN and by its id.
 */
async function flowsByNumber(ctx: ReadContext): Promise<Map<string, string>> {
  const flows = new Map<string, string>();
  const associations = itemsOf(
    paginateListFlowAssociations(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId, ResourceType: 'VOICE_PHONE_NUMBER', MaxResults: LIST_PAGE },
      opts(ctx),
    ),
    (page) => page.FlowAssociationSummaryList,
  );
  for await (const association of associations) {
    if (!association.ResourceId || !association.FlowId) continue;
    flows.set(association.ResourceId, association.FlowId);
    flows.set(association.ResourceId.split('/').at(-1) ?? association.ResourceId, association.FlowId);
  }
  return flows;
}

function numberDocument(number: ClaimedPhoneNumberSummary, flow: string | undefined): StoredDocument {
  return documentOf(
    'phone-numbers',
    number,
    { id: number.PhoneNumberId, arn: number.PhoneNumberArn, name: number.PhoneNumber },
    flow ? { contactFlowArn: flow } : undefined,
  );
}

/** A flow id from the id or ARN a state holds (`…/contact-flow/<id>`). */
function flowIdOf(value: string): string {
  return value.startsWith('arn:') ? (value.split('/').at(-1) ?? value) : value;
}

/** Why a number is not mapped, for the plan. */
const NOT_CLAIMED_BY_US =
  'connect-vault never claims phone numbers: claim one in the target (console or ClaimPhoneNumber), then map this number to it in mappings.phoneNumbers';

const phoneNumbersRestore: KindRestore = {
  // ReleasePhoneNumber exists, but a released number enters a cooldown of up to 180 days: a mirror
  // never releases one.
  keptReason:
    'kept: a mirror never releases a claimed phone number (ReleasePhoneNumber puts it into a cooldown of up to 180 days); release it by hand if it should go',
  writeOperations: ['AssociatePhoneNumberContactFlow', 'DisassociatePhoneNumberContactFlow'],
  // The flow is associated once the flows are published (their content phase runs before ours).
  phases: { ContactFlowId: 'content' },
  state(document) {
    return { ContactFlowId: document.related?.contactFlowArn };
  },
  references(state) {
    const flow = text(state, 'ContactFlowId');
    return flow ? [{ member: 'ContactFlowId', kind: 'flows', value: flow }] : [];
  },
  matchBy(source, { mapping, sameInstance }) {
    // Into the same instance the numbers are the same numbers: "same" unless mapped otherwise.
    const map = mapping.phoneNumbers ?? (sameInstance ? 'same' : undefined);
    if (map === undefined) {
      return {
        skip: `not restored: mappings.phoneNumbers does not map it (give source → target numbers, or "same" for the same instance); ${NOT_CLAIMED_BY_US}`,
        blocked: false,
      };
    }
    if (map === 'same') return { name: source.name };
    const to = Object.hasOwn(map, source.name) ? map[source.name] : undefined;
    if (to === undefined) {
      return {
        skip: `${source.name} is not in mappings.phoneNumbers, so the flow it rings is restored nowhere; ${NOT_CLAIMED_BY_US}`,
        blocked: true,
      };
    }
    return { name: to };
  },
  mappingProblems(documents, { mapping, sameInstance }) {
    const map = mapping.phoneNumbers;
    if (map === undefined) return [];
    if (map === 'same') {
      return sameInstance
        ? []
        : [
            'phoneNumbers: "same" keeps every number, which only a restore into the same instance can do; map each source number to one the target has claimed',
          ];
    }
    const numbers = new Set(documents.map((d) => d.name));
    return Object.keys(map)
      .filter((from) => !numbers.has(from))
      .map((from) => `phoneNumbers.${from}: the snapshot has no phone number ${from}`);
  },
  cannotCreate(source, context) {
    const to = context.targetName(source);
    return `the target instance has not claimed ${to}${to === source.name ? '' : ` (mapped from ${source.name})`}; ${NOT_CLAIMED_BY_US}`;
  },
  isBlank: (current) => !text(current, 'ContactFlowId'),
  create() {
    // cannotCreate answers for every number the target has not claimed: this is never reached.
    return Promise.reject(new Error(`phone numbers are claimed, not created; ${NOT_CLAIMED_BY_US}`));
  },
  async update(ctx, _phase, target, { desired, changed }) {
    if (!changed.has('ContactFlowId')) return;
    const flow = text(desired, 'ContactFlowId');
    if (flow) {
      await ctx.connect.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: ctx.instanceId,
          PhoneNumberId: target.id,
          ContactFlowId: flowIdOf(flow),
        }),
        sendOptions(ctx),
      );
    } else {
      await ctx.connect.send(
        new DisassociatePhoneNumberContactFlowCommand({
          InstanceId: ctx.instanceId,
          PhoneNumberId: target.id,
        }),
        sendOptions(ctx),
      );
    }
  },
};

export const phoneNumbers: ResourceKind<'phone-numbers'> = {
  name: 'phone-numbers',
  label: 'phone number',
  readOperations: ['ListPhoneNumbersV2', 'DescribePhoneNumber', 'ListFlowAssociations'],
  async *read(ctx) {
    const flows = await flowsByNumber(ctx);
    const found = notStored(ctx, claimedNumbers(ctx), (n) => n.PhoneNumberId);
    yield* mapUnordered(found, CONCURRENCY, async (summary) => {
      const { ClaimedPhoneNumberSummary: number } = await ctx.connect.send(
        new DescribePhoneNumberCommand({ PhoneNumberId: summary.PhoneNumberId }),
        opts(ctx),
      );
      const flow =
        flows.get(summary.PhoneNumberArn ?? '') ?? flows.get(summary.PhoneNumberId ?? '') ?? undefined;
      return numberDocument(number ?? summary, flow);
    });
  },
  restore: phoneNumbersRestore,
};
