/**
 * The restore state of predefined attributes and of users' proficiencies, from stored documents:
 * what is compared, how proficiencies name their attribute, and snapshots taken before
 * proficiencies were read.
 */
import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import {
  predefinedAttributeId,
  predefinedAttributeName,
  predefinedAttributes,
} from '#shared/kinds/predefined-attributes.js';
import { users } from '#shared/kinds/users.js';

const attribute = (resource: Record<string, unknown>): StoredDocument => ({
  kind: 'predefined-attributes',
  id: predefinedAttributeId('Language'),
  arn: 'arn:aws:connect:us-east-1:111122223333:instance/i-1|Language',
  name: 'Language',
  resource: { Name: 'Language', ...resource },
});

const user = (related?: Record<string, unknown>): StoredDocument => ({
  kind: 'users',
  id: 'u-1',
  arn: 'arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/u-1',
  name: 'agent.one',
  resource: { Id: 'u-1', Username: 'agent.one', SecurityProfileIds: [] },
  ...(related ? { related } : {}),
});

describe('the restore state of a predefined attribute', () => {
  it('keeps the values, purposes and value validation, and drops what the API sets itself', () => {
    const state = predefinedAttributes.restore?.state(
      attribute({
        Values: { StringList: ['English', 'Spanish'] },
        Purposes: ['Routing'],
        AttributeConfiguration: { EnableValueValidationOnAssociation: true, IsReadOnly: false },
        LastModifiedTime: '2026-12-01T00:00:00.000Z',
        LastModifiedRegion: 'us-east-1',
      }),
    );

    expect(state).toEqual({
      Name: 'Language',
      Values: { StringList: ['English', 'Spanish'] },
      Purposes: ['Routing'],
      AttributeConfiguration: { EnableValueValidationOnAssociation: true },
    });
  });

  it('treats value validation off like no configuration at all', () => {
    const off = predefinedAttributes.restore?.state(
      attribute({ AttributeConfiguration: { EnableValueValidationOnAssociation: false } }),
    );
    const none = predefinedAttributes.restore?.state(attribute({}));

    expect(off).toEqual(none);
  });

  it('is neither created nor updated when its name has the system prefix connect: or aws:', () => {
    const system = { ...attribute({}), name: 'connect:Subtype' };
    const context = { promptAudioMissing: () => undefined, targetName: (d: StoredDocument) => d.name };

    expect(predefinedAttributes.restore?.cannotCreate?.(system, context)).toMatch(/the system's/);
    expect(predefinedAttributes.restore?.cannotCreate?.(attribute({}), context)).toBeUndefined();
    expect(predefinedAttributes.restore?.cannotUpdate?.(['Values'], {}, { Name: 'connect:Subtype' })).toMatch(
      /system predefined attribute/,
    );
    expect(
      predefinedAttributes.restore?.cannotUpdate?.(['Values'], {}, { Name: 'Language' }),
    ).toBeUndefined();
  });

  it('turns a document id back into the attribute name, and refuses any other id', () => {
    expect(predefinedAttributeName(predefinedAttributeId('Language'))).toBe('Language');
    expect(() => predefinedAttributeName('Language')).toThrow(/not a predefined attribute id/);
  });
});

describe('the proficiencies in a user’s restore state', () => {
  it('name their attribute by its document id, so that restore remaps it', () => {
    const state = users.restore?.state(
      user({ proficiencies: [{ AttributeName: 'Language', AttributeValue: 'English', Level: 4 }] }),
    );

    expect(state?.Proficiencies).toEqual([
      { Attribute: 'predefined-attribute:Language', AttributeValue: 'English', Level: 4 },
    ]);
  });

  it('are an empty list for a user without any, and absent for a snapshot taken before they were read', () => {
    expect(users.restore?.state(user({ proficiencies: [] }))?.Proficiencies).toEqual([]);
    expect(users.restore?.state(user())).not.toHaveProperty('Proficiencies');
  });

  it('leave the target’s proficiencies alone when the snapshot says nothing about them', () => {
    const current = {
      Username: 'agent.one',
      Proficiencies: [{ Attribute: 'predefined-attribute:Language', AttributeValue: 'English', Level: 4 }],
    };

    expect(users.restore?.comparable?.(current, { Username: 'agent.one' })).toEqual({
      Username: 'agent.one',
    });
    expect(users.restore?.comparable?.(current, { Username: 'agent.one', Proficiencies: [] })).toEqual(
      current,
    );
  });
});
