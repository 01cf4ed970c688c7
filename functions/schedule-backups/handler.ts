/**
 * schedule-backups: started by the EventBridge schedule (nightly by default). Puts one
 * `Backup Requested` event per instance onto the project's bus.
 *
 * Input: the schedule's configured `input` (see `events/schedule-backups.json`), not an envelope.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createEventBridgeClient } from '#shared/aws.js';
import { parseEvent, scheduleInputSchema } from '#shared/backup/events.js';
import { type SchedulePorts, scheduleBackups } from '#shared/backup/schedule-backups.js';
import { type Config, readConfig } from '#shared/config.js';
import { createConnectClient } from '#shared/connect/client.js';
import { logger } from '#shared/observability.js';

export interface ScheduleDeps {
  config: Pick<Config, 'eventBusName' | 'instanceIds'>;
  ports: SchedulePorts;
}

/** Result: the instances for which a backup was requested. */
export interface ScheduleResult {
  requested: string[];
}

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an input that fails the schema; PutEventsFailedError when
 *   EventBridge rejects entries. Either way the invocation fails and EventBridge retries.
 */
export async function scheduleBackupsHandler(event: unknown, deps: ScheduleDeps): Promise<ScheduleResult> {
  const input = parseEvent(scheduleInputSchema, event ?? {}, 'schedule-backups input');
  const details = await scheduleBackups(
    {
      instanceIds: input.instanceIds ?? deps.config.instanceIds,
      kinds: input.kinds,
      full: input.full,
      eventBusName: deps.config.eventBusName,
    },
    deps.ports,
  );
  return { requested: details.map((d) => d.instanceId) };
}

let deps: ScheduleDeps | undefined;

/** Clients and config, created once per container on first use (no network at module scope). */
function containerDeps(): ScheduleDeps {
  if (!deps) {
    const config = readConfig();
    const eventBridge: EventBridgeClient = createEventBridgeClient({
      region: config.region,
      endpoint: config.endpoints.eventBridge,
    });
    const { client: connect } = createConnectClient({
      region: config.region,
      endpoint: config.endpoints.connect,
      rateFactor: config.rateFactor,
    });
    deps = { config, ports: { connect, eventBridge, clock: { now: () => new Date() }, logger } };
  }
  return deps;
}

export const handler = middy()
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler((event: unknown, _context: Context) => scheduleBackupsHandler(event, containerDeps()));
