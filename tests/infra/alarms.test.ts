/**
 * Alarms that reach someone (issue 12 §3): every alarm of the templates has the SNS topic as its
 * action, the expected alarms exist, and each watches a metric the code really emits or a function
 * serverless.yml really defines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cfnTags } from '../support/cloudformation.js';

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}

const templates = ['infra/alarms.yml', 'infra/events.yml', 'infra/storage.yml', 'infra/iam.yml'];
const resources: Record<string, Resource> = Object.assign(
  {},
  ...templates.map(
    (file) =>
      (parse(readFileSync(file, 'utf8'), { customTags: cfnTags }) as { Resources: Record<string, Resource> })
        .Resources,
  ),
);
const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
const source = (file: string) => readFileSync(file, 'utf8');

describe('alarms', () => {
  it('all notify the SNS topic, which e-mails alarmEmail when it is set', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const [name, alarm] of alarms)
      expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
    expect(resources.AlarmEmailSubscription).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Condition: 'AlarmEmailGiven',
      Properties: { Protocol: 'email', TopicArn: { Ref: 'AlarmTopic' } },
    });
    expect(source('serverless.yml')).toContain('- ${file(infra/alarms.yml)}');
  });

  it('cover a missed backup per instance, a silent schedule, backup and restore failures, dead letters and throttling', () => {
    const watched = Object.fromEntries(
      alarms.map(([name, a]) => [name, `${a.Properties.Namespace}/${a.Properties.MetricName}`]),
    );
    expect(watched).toMatchObject({
      StaleBackupsAlarm: 'ConnectVault/StaleInstances',
      SchedulerSilentAlarm: 'ConnectVault/ScheduleRuns',
      BackupErrorsAlarm: 'AWS/Lambda/Errors',
      RestoreErrorsAlarm: 'AWS/Lambda/Errors',
      BackupDeadLetterAlarm: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
      BackupQueueDeadLetterAlarm: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
      ThrottlingAlarm: 'ConnectVault/ConnectThrottles',
    });
    // A silent schedule is missing data: it must breach.
    expect(resources.SchedulerSilentAlarm?.Properties.TreatMissingData).toBe('breaching');
  });

  it('watch metrics the functions emit and functions serverless.yml defines', () => {
    const emitted = ['functions/schedule-backups/handler.ts', 'functions/backup-instance/handler.ts']
      .map(source)
      .join('\n');
    for (const [name, alarm] of alarms) {
      const { Namespace, MetricName, Dimensions } = alarm.Properties as {
        Namespace: string;
        MetricName: string;
        Dimensions: Array<{ Name: string; Value: unknown }>;
      };
      if (Namespace === 'ConnectVault') {
        expect(emitted, name).toContain(`addMetric('${MetricName}'`);
        expect(Dimensions, name).toEqual([{ Name: 'service', Value: 'connect-vault' }]);
      }
      if (Namespace === 'AWS/Lambda') {
        const fn = String(Dimensions[0]?.Value).replace('connect-vault-${sls:stage}-', '');
        expect(source('serverless.yml'), name).toMatch(new RegExp(`^  ${fn}:$`, 'm'));
      }
    }
    expect(source('shared/observability.ts')).toContain("namespace: 'ConnectVault'");
  });
});
