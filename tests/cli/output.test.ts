/** What the CLI prints for people: warnings as sentences, sizes in decimal units. */
import { describe, expect, it } from 'vitest';
import { formatSize, warningSentence } from '#shared/cli/output.js';

describe('warningSentence', () => {
  it('puts the kind and id in front of a warning text', () => {
    expect(
      warningSentence('backup warning', {
        kind: 'queues',
        resourceId: 'q-1',
        warning: 'tags could not be read',
      }),
    ).toBe('Warning: Queues q-1: tags could not be read.');
  });

  it('lists the data of a constant message in words, never as JSON', () => {
    expect(
      warningSentence('resource not restored', {
        kind: 'queues',
        sourceId: 'q-1',
        errorName: 'ThrottlingException',
      }),
    ).toBe('Warning: Resource not restored (queues, source id q-1, error name ThrottlingException).');
  });

  it('keeps a message that already ends a sentence', () => {
    expect(warningSentence('previous snapshot not usable!', {})).toBe(
      'Warning: Previous snapshot not usable!',
    );
  });
});

describe('formatSize', () => {
  it('prints decimal units with at most one decimal', () => {
    expect(formatSize(3_523_072)).toBe('3.5 MB');
    expect(formatSize(812)).toBe('812 B');
    expect(formatSize(3400)).toBe('3.4 kB');
    expect(formatSize(0)).toBe('0 B');
  });
});
