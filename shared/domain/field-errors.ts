import type * as z from 'zod';
import type { FieldError } from './errors.js';

/** Formats a zod error as one entry per failing field, e.g. `sessions[0].count`. */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>((acc, part) => {
      if (typeof part === 'number') return `${acc}[${part}]`;
      const key = String(part);
      return acc ? `${acc}.${key}` : key;
    }, prefix ?? '');
    return { path: path || '(root)', message: issue.message };
  });
}
