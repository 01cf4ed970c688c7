/**
 * Claimed phone numbers for the seeds. ClaimPhoneNumber is not emulated (claiming is out of
 * connect-vault's scope), so a seed claims a number by putting it straight into the instance, as the
 * service holds it once the claim has completed (status CLAIMED); the flow each number rings is then
 * set through AssociatePhoneNumberContactFlow, like a client would.
 */
import type { PhoneNumberCountryCode, PhoneNumberType } from '@aws-sdk/client-connect';
import type { InstanceState, PhoneNumberRecord } from '../state.js';
import type { SeedClient } from './api.js';
import type { SeedEnv } from './support.js';

/** A number to claim. */
export interface PhoneNumberSpec {
  /** E.164, e.g. `+12065550142`. */
  number: string;
  type: PhoneNumberType;
  country: PhoneNumberCountryCode;
  description?: string;
  tags?: Record<string, string>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Claims a number to an instance, as a completed ClaimPhoneNumber leaves it.
 * @throws Error for a number that is not E.164 or that some instance has already claimed.
 */
export function claimPhoneNumber(
  env: SeedEnv,
  instance: InstanceState,
  spec: PhoneNumberSpec,
): PhoneNumberRecord {
  if (!E164.test(spec.number)) throw new Error(`not an E.164 phone number: ${spec.number}`);
  if (env.world.isClaimed(spec.number)) throw new Error(`phone number ${spec.number} is already claimed`);
  const id = env.world.newId();
  const arn = `arn:aws:connect:${instance.region}:${instance.accountId}:phone-number/${id}`;
  const record: PhoneNumberRecord = {
    id,
    arn,
    number: spec.number,
    entity: {
      PhoneNumberId: id,
      PhoneNumberArn: arn,
      PhoneNumber: spec.number,
      PhoneNumberCountryCode: spec.country,
      PhoneNumberType: spec.type,
      ...(spec.description !== undefined ? { PhoneNumberDescription: spec.description } : {}),
      TargetArn: instance.arn,
      InstanceId: instance.id,
      Tags: { ...(spec.tags ?? {}) },
      PhoneNumberStatus: { Status: 'CLAIMED' },
    },
  };
  instance.phoneNumbers.set(id, record);
  env.world.tick();
  return record;
}

/** Claims numbers and points each at its flow (AssociatePhoneNumberContactFlow), if it has one. */
export async function claimAndAssociate(
  client: SeedClient,
  numbers: ReadonlyArray<PhoneNumberSpec & { flowId?: string }>,
): Promise<PhoneNumberRecord[]> {
  const records: PhoneNumberRecord[] = [];
  for (const spec of numbers) {
    const record = claimPhoneNumber(client.env, client.instance, spec);
    if (spec.flowId) {
      await client.send('AssociatePhoneNumberContactFlow', {
        PhoneNumberId: record.id,
        ContactFlowId: spec.flowId,
      });
    }
    records.push(record);
  }
  return records;
}
