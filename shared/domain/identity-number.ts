/*
 * Pure detection of Swedish personal identity and coordination numbers, without zod: the API's schemas (free-text.ts)
 * and the web app's forms (which refuse the same text before it is sent) share it.
 */

/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer) in free text:
 * YYMMDD-NNNC or YYYYMMDDNNNC, with `-`, `+` (100 years or older) or no separator. Digits around it make it
 * something else (a longer number), so they are excluded by look-around.
 */
const CANDIDATE = /(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})(?!\d)/g;

/** Days in a month; February has 29 when `year` is unknown (no century) or a leap year. */
function daysIn(month: number, year: number | undefined): number {
  if (month === 2) return year === undefined || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The Luhn check of the ten digits YYMMDDNNNC: weights 2,1,2,1… from the left over the first nine. */
export function luhnValid(tenDigits: string): boolean {
  if (!/^\d{10}$/.test(tenDigits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const product = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10 === Number(tenDigits[9]);
}

/**
 * The first personal identity or coordination number in `text` (a real date — a coordination number's day is the
 * day + 60 — and a valid checksum), or undefined. A ten-digit phone number can pass by chance (about one in ten of
 * those that also read as a date): the price of never letting a real one through.
 */
export function findPersonalIdentityNumber(text: string): string | undefined {
  for (const match of text.matchAll(CANDIDATE)) {
    const [whole, century, yy = '', mm = '', dd = '', , serial = ''] = match;
    if (century !== undefined && !['18', '19', '20'].includes(century)) continue;
    const month = Number(mm);
    const rawDay = Number(dd);
    const day = rawDay > 60 ? rawDay - 60 : rawDay;
    const year = century === undefined ? undefined : Number(`${century}${yy}`);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) continue;
    if (luhnValid(`${yy}${mm}${dd}${serial}`)) return whole;
  }
  return undefined;
}
