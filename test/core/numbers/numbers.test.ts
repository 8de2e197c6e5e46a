import { describe, it, expect } from '../../support/harness.js';
import { formatNumber, normalizeNumber, toE164Prefix, type DialPlan } from '../../../src/core/numbers/index.js';
import { isCentrexError } from '../../../src/core/errors.js';

const DE: DialPlan = { country: 'DE' };

describe('normalizeNumber', () => {
  it('reads short digit strings as extensions', () => {
    expect(normalizeNumber('33', DE)).to.deep.equal({ kind: 'extension', extension: '33' });
    expect(normalizeNumber('4711', DE)).to.deep.equal({ kind: 'extension', extension: '4711' });
    expect(normalizeNumber(' 47 11 ', DE)).to.deep.equal({ kind: 'extension', extension: '4711' });
  });

  it('respects the dial plan extension length', () => {
    expect(normalizeNumber('3', DE)).to.deep.equal({ kind: 'invalid', reason: 'unknown-format' });
    expect(normalizeNumber('1234567', DE)).to.deep.equal({ kind: 'invalid', reason: 'unknown-format' });
    expect(normalizeNumber('3', { country: 'DE', extensionDigits: [1, 3] })).to.deep.equal({
      kind: 'extension',
      extension: '3',
    });
  });

  it('normalizes international, 00 and national numbers to E.164 in any format', () => {
    const e164 = { kind: 'external', e164: '+491713921234' };
    for (const input of ['+49 171 3921234', '0049 171 3921234', '0171 3921234', '0171/392-1234', '(0171) 392.12.34']) {
      expect(normalizeNumber(input, DE), input).to.deep.equal(e164);
    }
    expect(normalizeNumber('0049892343123', DE)).to.deep.equal({ kind: 'external', e164: '+49892343123' });
    expect(normalizeNumber('+1 212 555 0100', DE)).to.deep.equal({ kind: 'external', e164: '+12125550100' });
  });

  it('uses the country of the dial plan for national numbers and the international prefix', () => {
    expect(normalizeNumber('01 5123456', { country: 'AT' })).to.deep.equal({ kind: 'external', e164: '+4315123456' });
    expect(normalizeNumber('011 49 171 3921234', { country: 'US' })).to.deep.equal({
      kind: 'external',
      e164: '+491713921234',
    });
  });

  it('reports letters, empty input and impossible numbers as invalid', () => {
    expect(normalizeNumber('', DE)).to.deep.equal({ kind: 'invalid', reason: 'empty' });
    expect(normalizeNumber('   ', DE)).to.deep.equal({ kind: 'invalid', reason: 'empty' });
    expect(normalizeNumber('0800-FLOWERS', DE)).to.deep.equal({ kind: 'invalid', reason: 'not-a-number' });
    expect(normalizeNumber('abc', DE)).to.deep.equal({ kind: 'invalid', reason: 'not-a-number' });
    expect(normalizeNumber('*80 33', DE)).to.deep.equal({ kind: 'invalid', reason: 'not-a-number' });
    expect(normalizeNumber('+49 1', DE)).to.deep.equal({ kind: 'invalid', reason: 'impossible' });
    expect(normalizeNumber(42 as unknown as string, DE)).to.deep.equal({ kind: 'invalid', reason: 'not-a-number' });
  });

  it('rejects a bad dial plan with a CentrexError', () => {
    for (const plan of [{ country: 'XX' }, { country: 'DE', extensionDigits: [5, 2] }, null]) {
      try {
        normalizeNumber('33', plan as unknown as DialPlan);
        expect.fail('should have thrown');
      } catch (error) {
        expect(isCentrexError(error, 'invalid-dial-plan'), String(error)).to.equal(true);
      }
    }
  });
});

describe('toE164Prefix', () => {
  it('turns the start of a typed number into an E.164 prefix', () => {
    expect(toE164Prefix('0171 392', DE)).to.equal('+49171392');
    expect(toE164Prefix('089', DE)).to.equal('+4989');
    expect(toE164Prefix('0049 89', DE)).to.equal('+4989');
    expect(toE164Prefix('+4989', DE)).to.equal('+4989');
    expect(toE164Prefix('+49', DE)).to.equal('+49');
  });

  it('returns undefined for extensions, letters and unfinished international prefixes', () => {
    expect(toE164Prefix('33', DE)).to.equal(undefined);
    expect(toE164Prefix('Müller', DE)).to.equal(undefined);
    expect(toE164Prefix('004', DE)).to.equal(undefined);
    expect(toE164Prefix('+', DE)).to.equal(undefined);
  });
});

describe('formatNumber', () => {
  it('formats national numbers nationally and foreign ones internationally', () => {
    expect(formatNumber('+491713921234', DE)).to.equal('0171 3921234');
    expect(formatNumber('+12125550100', DE)).to.equal('+1 212 555 0100');
    expect(formatNumber('0171 3921234', DE, 'international')).to.equal('+49 171 3921234');
  });

  it('leaves extensions and non-numbers as they are', () => {
    expect(formatNumber('33', DE)).to.equal('33');
    expect(formatNumber('  call me  ', DE)).to.equal('call me');
  });
});

describe('normalizeNumber with unknown country codes', () => {
  it('says unknown-format for an unassigned country calling code', () => {
    expect(normalizeNumber('+999 1234567', DE)).to.deep.equal({ kind: 'invalid', reason: 'unknown-format' });
  });
});
