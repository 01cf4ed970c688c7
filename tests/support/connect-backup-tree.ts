/**
 * A connect-backup tree, as sethkor's connect-backup (Go, AWS SDK for Go v1) writes one, made from
 * an emulator instance: the OLD TOOL'S FORMAT, for the import tests (never connect-vault's own).
 *
 * It makes the calls connect-backup makes (connect-backup.go `backupItems`) with the SDK for
 * JavaScript v3 and writes each answer where connect-backup's `buildPrefix` puts it, serialised as
 * `jsonutil.BuildJSON` does: the API's member names, no `null` members, timestamps as epoch seconds.
 * Its quirks are kept: flows that DescribeContactFlow cannot describe (never published) are left
 * out, ListPrompts is read for its first page only, and each page of ListRoutingProfileQueues is
 * written over the one before (`routingProfileQueuesPageSize` makes pages small enough to show it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type ConnectClient,
  type ContactFlow,
  DescribeContactFlowCommand,
  DescribeHoursOfOperationCommand,
  DescribeInstanceCommand,
  DescribeQueueCommand,
  DescribeRoutingProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListPromptsCommand,
  paginateListContactFlows,
  paginateListHoursOfOperations,
  paginateListLambdaFunctions,
  paginateListQueues,
  paginateListQuickConnects,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListUserHierarchyGroups,
  paginateListUsers,
} from '@aws-sdk/client-connect';

/** What `jsonutil.BuildJSON` makes of an SDK value: epoch seconds for times, nothing for nil. */
function goJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(goJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => v !== undefined && v !== null && key !== '$metadata')
        .map(([key, v]) => [key, goJson(v)]),
    );
  }
  return value;
}

/** Options of {@link writeConnectBackupTree}. */
export interface ConnectBackupTreeOptions {
  /** MaxResults of each ListRoutingProfileQueues page (connect-backup sent none: the service default). */
  routingProfileQueuesPageSize?: number;
}

/**
 * Writes `<root>/<instanceId>/…` as connect-backup's FileWriter does (with `--flows-raw`).
 * @returns The instance folder.
 */
export async function writeConnectBackupTree(
  connect: ConnectClient,
  instanceId: string,
  root: string,
  options: ConnectBackupTreeOptions = {},
): Promise<string> {
  const folder = join(root, instanceId);
  const write = async (relative: string, value: unknown) => {
    const path = join(folder, relative);
    await mkdir(dirname(path), { recursive: true });
    // jsonutil.BuildJSON writes compact JSON.
    await writeFile(path, JSON.stringify(goJson(value)));
  };
  const base = { client: connect };
  const input = { InstanceId: instanceId };

  const { Instance } = await connect.send(new DescribeInstanceCommand(input));
  await write('common/instance.json', Instance);

  const lambdas: string[] = [];
  for await (const page of paginateListLambdaFunctions(base, input))
    lambdas.push(...(page.LambdaFunctions ?? []));
  await write('common/lambdas.json', lambdas);

  // ListPrompts without pagination: its first page only.
  const prompts = await connect.send(new ListPromptsCommand(input));
  await write('prompts/prompts.json', prompts.PromptSummaryList ?? []);

  for await (const page of paginateListHoursOfOperations(base, input)) {
    for (const summary of page.HoursOfOperationSummaryList ?? []) {
      const { HoursOfOperation } = await connect.send(
        new DescribeHoursOfOperationCommand({ ...input, HoursOfOperationId: summary.Id }),
      );
      await write(`hours-of-operation/${HoursOfOperation?.Name}.json`, HoursOfOperation);
    }
  }

  const quickConnects: unknown[] = [];
  for await (const page of paginateListQuickConnects(base, input))
    quickConnects.push(...(page.QuickConnectSummaryList ?? []));
  await write('quick-connects/quick-connects.json', quickConnects);

  for await (const page of paginateListContactFlows(base, input)) {
    for (const summary of page.ContactFlowSummaryList ?? []) {
      let flow: ContactFlow | undefined;
      try {
        flow = (await connect.send(new DescribeContactFlowCommand({ ...input, ContactFlowId: summary.Id })))
          .ContactFlow;
      } catch {
        // connect-backup logs "Failed to describe flow" and goes on: a flow never published.
        continue;
      }
      await write(`flows/${flow?.Name}.json`, flow);
      // --flows-raw: the content indented (json.Indent, two spaces).
      const raw = JSON.stringify(JSON.parse(flow?.Content ?? '{}'), null, 2);
      const path = join(folder, 'flows-raw', `${flow?.Name}.json`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, raw);
    }
  }

  for await (const page of paginateListUsers(base, input)) {
    for (const summary of page.UserSummaryList ?? []) {
      const { User } = await connect.send(new DescribeUserCommand({ ...input, UserId: summary.Id }));
      await write(`users/${User?.Username}.json`, User);
    }
  }

  for await (const page of paginateListRoutingProfiles(base, input)) {
    for (const summary of page.RoutingProfileSummaryList ?? []) {
      const { RoutingProfile } = await connect.send(
        new DescribeRoutingProfileCommand({ ...input, RoutingProfileId: summary.Id }),
      );
      await write(`routing-profiles/${RoutingProfile?.Name}.json`, RoutingProfile);
      // Each page written over the one before, to a file named after the profile's id.
      for await (const queues of paginateListRoutingProfileQueues(
        {
          client: connect,
          ...(options.routingProfileQueuesPageSize ? { pageSize: options.routingProfileQueuesPageSize } : {}),
        },
        { ...input, RoutingProfileId: RoutingProfile?.RoutingProfileId },
      )) {
        await write(
          `routing-profile-queues/${RoutingProfile?.RoutingProfileId}.json`,
          queues.RoutingProfileQueueConfigSummaryList ?? [],
        );
      }
    }
  }

  for await (const page of paginateListUserHierarchyGroups(base, input)) {
    for (const summary of page.UserHierarchyGroupSummaryList ?? []) {
      const { HierarchyGroup } = await connect.send(
        new DescribeUserHierarchyGroupCommand({ ...input, HierarchyGroupId: summary.Id }),
      );
      await write(`user-hierarchy-groups/${HierarchyGroup?.Name}.json`, HierarchyGroup);
    }
  }

  const { HierarchyStructure } = await connect.send(new DescribeUserHierarchyStructureCommand(input));
  await write('common/user-hierarchy-structures.json', HierarchyStructure);

  for await (const page of paginateListQueues(base, input)) {
    for (const summary of page.QueueSummaryList ?? []) {
      if (summary.QueueType === 'AGENT') continue;
      const { Queue } = await connect.send(new DescribeQueueCommand({ ...input, QueueId: summary.Id }));
      await write(`queues/${Queue?.Name}.json`, Queue);
    }
  }
  return folder;
}
