/**
 * Claimed phone numbers and the voice flows they ring: ListPhoneNumbersV2, DescribePhoneNumber,
 * ListFlowAssociations, AssociatePhoneNumberContactFlow, DisassociatePhoneNumberContactFlow.
 *
 * Numbers are claimed by seeds (`claimPhoneNumber` in seeds/phone-numbers.ts); ClaimPhoneNumber,
 * ReleasePhoneNumber, UpdatePhoneNumber, traffic distribution groups and the other flow-association
 * resource types (SMS, e-mail, WhatsApp) are not modelled: ListFlowAssociations lists no
 * association of those types, and a TargetArn that is not an instance ARN is rejected.
 *
 * Rules (API reference of each operation):
 * - A number is found by id or ARN among the numbers of the caller's account and Region; another
 *   account's or Region's number, or one never claimed, is ResourceNotFoundException.
 * - AssociatePhoneNumberContactFlow and DisassociatePhoneNumberContactFlow act on a number claimed
 *   to the instance they name: a number claimed to another instance is ResourceNotFoundException,
 *   like a flow that is not in the instance.
 * - A number rings an inbound flow: a flow of another type than CONTACT_FLOW is
 *   InvalidParameterException (the console offers only inbound flows for a number).
 * - ListPhoneNumbersV2 takes TargetArn or InstanceId (both must then name the same instance), or
 *   neither (every number of the account and Region); PhoneNumberPrefix must start with `+`.
 * - A number whose flow is deleted rings nothing: ListFlowAssociations no longer lists it (an
 *   assumption: DeleteContactFlow documents no ResourceInUseException for numbers).
 */
import type {
  AssociatePhoneNumberContactFlowRequest,
  DescribePhoneNumberRequest,
  DescribePhoneNumberResponse,
  DisassociatePhoneNumberContactFlowRequest,
  FlowAssociationSummary,
  ListFlowAssociationsRequest,
  ListFlowAssociationsResponse,
  ListPhoneNumbersSummary,
  ListPhoneNumbersV2Request,
  ListPhoneNumbersV2Response,
} from '@aws-sdk/client-connect';
import { invalidParameter, notFound } from '../errors.js';
import type { InstanceState, PhoneNumberRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

/** Most results per page of ListPhoneNumbersV2 and ListFlowAssociations (MaxResult1000). */
const PAGE_MAX = 1000;

/** The flow type a phone number can ring. */
const VOICE_FLOW_TYPE = 'CONTACT_FLOW';

function summary(record: PhoneNumberRecord): ListPhoneNumbersSummary {
  const { Tags: _tags, PhoneNumberStatus: _status, ...rest } = record.entity;
  return rest;
}

/** The instances ListPhoneNumbersV2 lists the numbers of. */
function listedInstances(ctx: RequestContext, input: ListPhoneNumbersV2Request): InstanceState[] {
  const { TargetArn, InstanceId } = input;
  if (TargetArn !== undefined) {
    if (!/^arn:aws[a-z-]*:connect:[^:]+:\d{12}:instance\/[^/]+$/.test(TargetArn)) {
      throw invalidParameter(
        `TargetArn must be the ARN of an instance (traffic distribution groups are not modelled): ${TargetArn}`,
      );
    }
    const instance = ctx.instance(TargetArn);
    if (instance.arn !== TargetArn) throw notFound('Instance', TargetArn);
    if (InstanceId !== undefined && ctx.instance(InstanceId) !== instance) {
      throw invalidParameter(`TargetArn ${TargetArn} and InstanceId ${InstanceId} name different instances.`);
    }
    return [instance];
  }
  if (InstanceId !== undefined) return [ctx.instance(InstanceId)];
  return ctx.world.instancesOf(ctx.accountId, ctx.region);
}

/**
 * The number named by `PhoneNumberId` (id or ARN), claimed to `instance`.
 * @throws ConnectError ResourceNotFoundException when it is not a number of the caller, or is claimed
 *   to another instance.
 */
function claimedBy(ctx: RequestContext, instance: InstanceState, phoneNumberId: string): PhoneNumberRecord {
  const found = ctx.world.phoneNumberFor(phoneNumberId, ctx.accountId, ctx.region);
  if (!found) throw notFound('Phone number', phoneNumberId);
  if (found.instance !== instance) {
    throw notFound(`Phone number claimed to instance ${instance.id}`, phoneNumberId);
  }
  return found.record;
}

/** True while the flow exists (DeleteContactFlow leaves the numbers that rang it ringing nothing). */
function flowExists(instance: InstanceState, flowId: string): boolean {
  return instance.flows.all().some((f) => f.id === flowId);
}

export const phoneNumberHandlers: HandlerTable = {
  ListPhoneNumbersV2(ctx: RequestContext, input: ListPhoneNumbersV2Request): ListPhoneNumbersV2Response {
    if (input.PhoneNumberPrefix !== undefined && !input.PhoneNumberPrefix.startsWith('+')) {
      throw invalidParameter('PhoneNumberPrefix must contain + as part of the country code.');
    }
    const instances = listedInstances(ctx, input);
    const countries = input.PhoneNumberCountryCodes;
    const types = input.PhoneNumberTypes;
    const matches = instances
      .flatMap((instance) => [...instance.phoneNumbers.values()])
      .filter(
        (p) =>
          (!countries?.length || countries.includes(p.entity.PhoneNumberCountryCode!)) &&
          (!types?.length || types.includes(p.entity.PhoneNumberType!)) &&
          (input.PhoneNumberPrefix === undefined || p.number.startsWith(input.PhoneNumberPrefix)),
      );
    const scope = `ListPhoneNumbersV2/${ctx.accountId}/${ctx.region}/${JSON.stringify([
      input.TargetArn,
      input.InstanceId,
      countries,
      types,
      input.PhoneNumberPrefix,
    ])}`;
    const { page, NextToken } = paginate(matches, input, scope, PAGE_MAX);
    return { ListPhoneNumbersSummaryList: page.map(summary), ...(NextToken ? { NextToken } : {}) };
  },

  DescribePhoneNumber(ctx: RequestContext, input: DescribePhoneNumberRequest): DescribePhoneNumberResponse {
    const found = ctx.world.phoneNumberFor(input.PhoneNumberId!, ctx.accountId, ctx.region);
    if (!found) throw notFound('Phone number', input.PhoneNumberId!);
    return { ClaimedPhoneNumberSummary: structuredClone(found.record.entity) };
  },

  ListFlowAssociations(
    ctx: RequestContext,
    input: ListFlowAssociationsRequest,
  ): ListFlowAssociationsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const voice =
      input.ResourceType === undefined || input.ResourceType === 'VOICE_PHONE_NUMBER'
        ? [...instance.phoneNumbers.values()].filter(
            (p) => p.contactFlowId !== undefined && flowExists(instance, p.contactFlowId),
          )
        : [];
    const associations: FlowAssociationSummary[] = voice.map((p) => ({
      ResourceId: p.arn,
      FlowId: instance.arnFor('contact-flow', p.contactFlowId!),
      ResourceType: 'VOICE_PHONE_NUMBER',
    }));
    const scope = `ListFlowAssociations/${instance.id}/${input.ResourceType ?? ''}`;
    const { page, NextToken } = paginate(associations, input, scope, PAGE_MAX);
    return { FlowAssociationSummaryList: page, ...(NextToken ? { NextToken } : {}) };
  },

  AssociatePhoneNumberContactFlow(
    ctx: RequestContext,
    input: AssociatePhoneNumberContactFlowRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = claimedBy(ctx, instance, input.PhoneNumberId!);
    const flow = instance.flows.require(input.ContactFlowId!);
    if (flow.entity.Type !== VOICE_FLOW_TYPE) {
      throw invalidParameter(
        `ContactFlowId ${input.ContactFlowId} is a ${flow.entity.Type} flow; a phone number rings a ${VOICE_FLOW_TYPE} flow.`,
      );
    }
    record.contactFlowId = flow.id;
    ctx.world.tick();
    return {};
  },

  DisassociatePhoneNumberContactFlow(
    ctx: RequestContext,
    input: DisassociatePhoneNumberContactFlowRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = claimedBy(ctx, instance, input.PhoneNumberId!);
    delete record.contactFlowId;
    ctx.world.tick();
    return {};
  },
};
