import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findPersonalIdentityNumber, freeText, luhnValid, noIdentityNumberMessage } from '../../shared/schemas/free-text.js';

/** The check digit that makes YYMMDDNNN valid (Luhn, weights 2,1,2,… from the left). */
function checkDigit(nine: string): string {
  for (let c = 0; c <= 9; c++) if (luhnValid(`${nine}${c}`)) return String(c);
  throw new Error('no check digit');
}

const dateArb = fc
  .date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => DateTime.fromJSDate(d, { zone: 'utc' }));
/** A valid number in one of its written forms: with or without century, `-`, `+` or no separator, personnummer or samordningsnummer. */
const identityNumberArb = fc
  .record({
    date: dateArb,
    serial: fc.integer({ min: 0, max: 999 }),
    coordination: fc.boolean(),
    century: fc.boolean(),
    separator: fc.constantFrom('-', '+', ''),
  })
  .map(({ date, serial, coordination, century, separator }) => {
    const day = String(date.day + (coordination ? 60 : 0)).padStart(2, '0');
    const nine = `${date.toFormat('yyMM')}${day}${String(serial).padStart(3, '0')}`;
    const ten = `${nine}${checkDigit(nine)}`;
    return `${century ? date.toFormat('yyyy').slice(0, 2) : ''}${ten.slice(0, 6)}${separator}${ten.slice(6)}`;
  });

describe('findPersonalIdentityNumber', () => {
  it.each([
    ['121212-1212', 'the classic test number'],
    ['19121212-1212', 'with century'],
    ['1212121212', 'without separator'],
    ['121212+1212', '100 years or older (+)'],
    ['811218-9876', 'Skatteverket’s example'],
    ['701063-2391', 'a coordination number (day 03 + 60)'],
    ['197010632391', 'a coordination number with century'],
    ['20000229-0005', '29 February of a leap year'],
  ])('finds %s (%s)', (value) => {
    expect(findPersonalIdentityNumber(`Möte om ${value} i Kalmar`)).toBe(value);
  });

  it.each([
    ['121212-1213', 'a wrong check digit'],
    ['19000229-0009', '29 February 1900 (no leap year)'],
    ['121312-1212', 'month 13'],
    ['121232-1212', 'day 32'],
    ['121292-1212', 'coordination day 92 (32 + 60)'],
    ['21121212-1212', 'a century that is no century of a living person'],
    ['1121212-12120', 'digits on both sides: a longer number'],
    ['Kommunmöte Emmaboda 2026', 'an ordinary title'],
    ['Storgatan 12, 382 30 Nybro', 'an address with a postcode'],
  ])('does not flag %s (%s)', (value) => {
    expect(findPersonalIdentityNumber(value)).toBeUndefined();
  });

  it('property: every valid personnummer or samordningsnummer, in any written form, anywhere in a text, is found', () => {
    fc.assert(
      fc.property(
        identityNumberArb,
        fc.string({ maxLength: 20 }).map((s) => s.replace(/\d/g, '')),
        fc.string({ maxLength: 20 }).map((s) => s.replace(/\d/g, '')),
        (number, before, after) => {
          expect(findPersonalIdentityNumber(`${before} ${number} ${after}`)).toBe(number);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: changing the check digit of a valid number makes it pass', () => {
    fc.assert(
      fc.property(identityNumberArb, fc.integer({ min: 1, max: 9 }), (number, delta) => {
        const wrong = `${number.slice(0, -1)}${(Number(number.slice(-1)) + delta) % 10}`;
        expect(findPersonalIdentityNumber(wrong)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('property: text without a run of ten digits is never flagged', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).filter((s) => !/\d{6}[-+]?\d{4}/.test(s)),
        (text) => {
          expect(findPersonalIdentityNumber(text)).toBeUndefined();
        },
      ),
    );
  });
});

describe('freeText', () => {
  const title = freeText({ max: 80 });

  it('refuses a number with the message a 400 carries, accepts ordinary text trimmed', () => {
    const refused = title.safeParse('Uppföljning 19121212-1212');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(noIdentityNumberMessage);
    expect(title.parse('  Kommunmöte Torsås  ')).toBe('Kommunmöte Torsås');
  });
});
