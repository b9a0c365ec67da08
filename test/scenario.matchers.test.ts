import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../src/did-you-mean.js';
import { checkMatcher, describeMatcher, matchValue } from '../src/scenario/matchers.js';

describe('matchValue', () => {
  const payload = {
    connectorId: 1,
    idTagInfo: { status: 'Accepted', expiryDate: '2026-02-01T00:00:00Z' },
    meterValue: [{ sampledValue: [{ value: '1234.5', measurand: 'Energy.Active.Import.Register' }, { value: '7200', measurand: 'Power.Active.Import' }] }],
  };

  it('matches scalars exactly, numbers also against numeric strings', () => {
    expect(matchValue('Accepted', 'Accepted')).toBeUndefined();
    expect(matchValue(60, '60')).toBeUndefined();
    expect(matchValue('60', 60)).toBeUndefined();
    expect(matchValue(true, 'true')).toBeUndefined();
    expect(matchValue(60, '61')?.message).toBe('$: expected 60, got "61"');
  });

  it('matches objects partially and explains a mismatch with its path', () => {
    expect(matchValue({ idTagInfo: { status: 'Accepted' } }, payload)).toBeUndefined();
    expect(matchValue({ idTagInfo: { status: 'Blocked' } }, payload)).toEqual({
      path: '$.idTagInfo.status',
      expected: '"Blocked"',
      actual: 'Accepted',
      message: '$.idTagInfo.status: expected "Blocked", got "Accepted"',
    });
    expect(matchValue({ transactionId: 5 }, payload)?.message).toBe('$.transactionId: expected 5, got nothing');
  });

  it('matches arrays element-wise, and with contains', () => {
    const values = payload.meterValue[0].sampledValue;
    expect(matchValue([{ measurand: 'Energy.Active.Import.Register' }, { value: { gte: 7000 } }], values)).toBeUndefined();
    expect(matchValue([{ measurand: 'Energy.Active.Import.Register' }], values)?.message).toMatch(/^\$: expected a list of 1/);
    expect(matchValue({ meterValue: [{ sampledValue: { contains: [{ measurand: 'Power.Active.Import' }] } }] }, payload)).toBeUndefined();
    expect(matchValue({ contains: [{ measurand: 'Voltage' }] }, values)?.expected).toBe('a list containing {"measurand":"Voltage"}');
  });

  it('has regex, ranges, any, absent, oneOf and equals', () => {
    expect(matchValue({ regex: '^2026-' }, payload.idTagInfo.expiryDate)).toBeUndefined();
    expect(matchValue({ regex: '^2025-' }, payload.idTagInfo.expiryDate)?.expected).toBe('a string matching /^2025-/');
    expect(matchValue({ between: [7000, 7400] }, '7200')).toBeUndefined();
    expect(matchValue({ between: [0, 50] }, 7200)?.message).toBe('$: expected between 0 and 50, got 7200');
    expect(matchValue({ gte: 1, lt: 2 }, 1.5)).toBeUndefined();
    expect(matchValue({ gt: 1 }, 1)).toBeDefined();
    expect(matchValue({ lte: 10 }, 'ten')).toBeDefined();
    expect(matchValue({ any: true }, null)).toBeUndefined();
    expect(matchValue({ parentIdTag: { any: true } }, {})?.message).toBe('$.parentIdTag: expected any value, got nothing');
    expect(matchValue({ parentIdTag: { absent: true } }, {})).toBeUndefined();
    expect(matchValue({ parentIdTag: { absent: true } }, { parentIdTag: 'X' })?.expected).toBe('absent');
    expect(matchValue({ oneOf: ['SuspendedEV', 'SuspendedEVSE'] }, 'SuspendedEVSE')).toBeUndefined();
    expect(matchValue({ oneOf: ['SuspendedEV', 'SuspendedEVSE'] }, 'Charging')?.expected).toBe('one of "SuspendedEV", "SuspendedEVSE"');
    expect(matchValue({ equals: { a: 1 } }, { a: 1 })).toBeUndefined();
    expect(matchValue({ equals: { a: 1 } }, { a: 1, b: 2 })).toBeDefined();
  });

  it('names keys that are not identifiers with brackets', () => {
    expect(matchValue({ 'a-b': 1 }, { 'a-b': 2 })?.path).toBe('$["a-b"]');
  });
});

describe('checkMatcher', () => {
  it('accepts literals, partial objects and well-formed operators', () => {
    expect(checkMatcher({ status: 'Accepted', n: { between: [1, 2] }, t: { regex: '^a' }, l: { contains: [{ gte: 1 }] } })).toEqual([]);
  });

  it('reports malformed operators with a pointer', () => {
    expect(checkMatcher({ a: { regex: '(' } })).toEqual([{ pointer: '/a/regex', message: expect.stringMatching(/^invalid regular expression/) }]);
    expect(checkMatcher({ between: [2, 1] })[0].pointer).toBe('/between');
    expect(checkMatcher({ gte: 'x' })[0].message).toBe('gte needs a number');
    expect(checkMatcher({ any: false })[0].message).toBe('any takes only the value true');
    expect(checkMatcher({ regex: 'a', gte: 1 })[0].message).toMatch(/cannot be combined/);
    expect(checkMatcher({ contains: [{ regex: '(' }] })[0].pointer).toBe('/contains/0/regex');
  });

  it('describes matchers for titles', () => {
    expect(describeMatcher({ gte: 1, lte: 5 })).toBe('≥ 1 and ≤ 5');
    expect(describeMatcher({ status: 'Accepted' })).toBe('{"status":"Accepted"}');
  });
});

describe('did you mean', () => {
  it('measures edits case-insensitively, counting a swap as one', () => {
    expect(editDistance('conector', 'connector')).toBe(1);
    expect(editDistance('Connect', 'connect')).toBe(0);
    expect(editDistance('cnonect', 'connect')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('conect', ['connect', 'disconnect'])).toBe('connect');
    expect(closest('plugIn', ['plug', 'unplug'])).toBe('plug');
    expect(closest('teleport', ['connect', 'plug', 'wait'])).toBeUndefined();
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(didYouMean('Chargin', ['Charging', 'Available'])).toBe("did you mean 'Charging'?");
  });
});
