import * as z from 'zod';
import { findPersonalIdentityNumber } from '../domain/identity-number.js';

export { findPersonalIdentityNumber, luhnValid } from '../domain/identity-number.js';

export const noIdentityNumberMessage = 'must not contain a personal identity number or coordination number (personnummer, samordningsnummer)';

/** A refinement for any string schema: refuses text holding a personal identity or coordination number. */
export const withoutIdentityNumber = <S extends z.ZodString>(schema: S): S =>
  schema.refine((value) => findPersonalIdentityNumber(value) === undefined, noIdentityNumberMessage);

/**
 * Free text a person types (titles, addresses, names of partners and organisations): trimmed, bounded, and never
 * holding a personal identity or coordination number, whatever field it is in (a 400 names that field).
 */
export const freeText = (options: { min?: number; max: number }) =>
  withoutIdentityNumber(
    z
      .string()
      .trim()
      .min(options.min ?? 1)
      .max(options.max),
  );
