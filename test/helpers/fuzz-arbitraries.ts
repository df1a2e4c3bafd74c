import fc from 'fast-check';
import * as z from 'zod';

/**
 * fast-check arbitraries driven by a route's zod schemas (through their JSON Schema, z.toJSONSchema): mostly values
 * of the right shape — strings from the schema's own regex, realistic dates and ids where a pattern or a field name
 * asks for one — mixed with boundary values (empty, huge, unicode, wrong types, year 0001/9999, negative and huge
 * numbers, extra fields).
 */

type JsonSchema = Record<string, unknown>;

/** Real values from the seeded data, by field name, so that generated requests also reach the paths behind validation. */
export type Hints = Record<string, readonly string[]>;

const huge = 'x'.repeat(70_000);
const boundaryStrings = [
  '',
  ' ',
  huge,
  '😀'.repeat(2_000),
  '\u0000',
  'ǅ\u202Eabc',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '19121212-1212',
  '0001-01-01',
  '9999-12-31',
  '2026-02-30',
  '1999-12-31',
  '2101-01-01',
  '0001-W01',
  '9999-W52',
  '2026-W53',
  '2026-W54',
  '2027-W53',
  '0001-01',
  '9999-12',
  '0001-01-01T00:00',
  '9999-12-31T23:59',
  '2026-03-29T02:30',
  '2026-10-25T02:30',
  '9999-12-31T23:59:59.999Z',
  '24:00',
  '-1',
  '1e308',
  'NaN',
];
const boundaryNumbers = [0, -1, 1, -2_147_483_649, 2_147_483_648, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, 0.5, 1e-9];
const wrongTypes: unknown[] = [null, true, false, [], {}, [1, 'a'], { a: 1 }, 0, 'string'];

/** Any value at all from the boundary list (type not respected). */
export const boundaryValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...boundaryStrings),
  fc.constantFrom(...boundaryNumbers),
  fc.constantFrom(...wrongTypes),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Realistic values for the project's common string patterns, recognised by what the pattern accepts. */
function realisticFor(pattern: RegExp): fc.Arbitrary<string> | undefined {
  const day = fc.integer({ min: 0, max: 70 }).map((n) => new Date(Date.UTC(2026, 9, 20 + n)).toISOString().slice(0, 10));
  if (pattern.test('2026-11-24T16:00'))
    return fc.tuple(day, fc.integer({ min: 7, max: 20 }), fc.constantFrom('00', '30')).map(([d, h, m]) => `${d}T${String(h).padStart(2, '0')}:${m}`);
  if (pattern.test('2026-11-24')) return day;
  if (pattern.test('2026-W48')) return fc.integer({ min: 44, max: 53 }).map((w) => `2026-W${w}`);
  if (pattern.test('2026-11')) return fc.constantFrom('2026-01', '2026-10', '2026-11', '2026-12', '2025-12');
  if (pattern.test('15:00')) return fc.constantFrom('08:00', '09:30', '15:00', '17:00', '20:00', '23:59', '00:00');
  return undefined;
}

const localDateTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const hourMinute = /^(\d{2}):(\d{2})$/;

/** end = start + minutes on the same day (local date-times); to = from (dates). */
function pairRanges(value: Record<string, unknown>, minutes: number): Record<string, unknown> {
  const copy = { ...value };
  const start = typeof copy.start === 'string' ? localDateTime.exec(copy.start) : null;
  if (start && typeof copy.end === 'string') {
    const total = Math.min(Number(start[2]) * 60 + Number(start[3]) + minutes, 23 * 60 + 59);
    copy.end = `${start[1]}T${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
  }
  const clock = typeof copy.start === 'string' ? hourMinute.exec(copy.start) : null;
  if (clock && typeof copy.end === 'string') {
    const total = Math.min(Number(clock[1]) * 60 + Number(clock[2]) + minutes * 3, 23 * 60 + 59);
    copy.end = `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
  }
  if (typeof copy.from === 'string' && isoDate.test(copy.from) && typeof copy.to === 'string') copy.to = copy.from;
  return copy;
}

export class SchemaArbitraries {
  constructor(
    private readonly hints: Hints,
    /** How often (0..1) a value is replaced by a boundary value of any type. */
    private readonly wildness = 0.12,
  ) {}

  /** An arbitrary for the input of a zod schema (the JSON Schema of what the route accepts). */
  forZod(schema: z.ZodType): fc.Arbitrary<unknown> {
    const root = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as JsonSchema;
    return this.node(root, root, undefined, 0);
  }

  private node(schema: JsonSchema, root: JsonSchema, name: string | undefined, depth: number): fc.Arbitrary<unknown> {
    const shaped = this.shaped(schema, root, name, depth);
    const wildWeight = Math.round(this.wildness * 100);
    return fc.oneof({ weight: 100 - wildWeight, arbitrary: shaped }, { weight: wildWeight, arbitrary: boundaryValue });
  }

  private shaped(schema: JsonSchema, root: JsonSchema, name: string | undefined, depth: number): fc.Arbitrary<unknown> {
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      const target =
        ref === '#'
          ? root
          : (ref
              .replace(/^#\//, '')
              .split('/')
              .reduce<unknown>((at, key) => (at as JsonSchema | undefined)?.[key], root) as JsonSchema | undefined);
      if (!target || depth > 6) return fc.constant({});
      return this.node(target, root, name, depth + 1);
    }
    const hinted = name ? this.hints[name] : undefined;
    const hint = hinted?.length ? fc.constantFrom(...hinted) : undefined;
    const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    if (union?.length) return fc.oneof(...union.map((s) => this.node(s, root, name, depth + 1)));
    const all = schema.allOf as JsonSchema[] | undefined;
    if (all?.[0]) return this.node(all[0], root, name, depth + 1);
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const type = schema.type;
    if (Array.isArray(type)) return fc.oneof(...type.map((t) => this.shaped({ ...schema, type: t }, root, name, depth)));
    switch (type) {
      case 'string':
        return this.string(schema, hint);
      case 'integer':
      case 'number': {
        const min =
          typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : -5;
        const max =
          typeof schema.maximum === 'number'
            ? schema.maximum
            : typeof schema.exclusiveMaximum === 'number'
              ? schema.exclusiveMaximum - 1
              : Math.max(min + 200, 200);
        const inRange = fc.integer({ min: Math.max(min, -1e6), max: Math.min(max, 1e6) });
        return hint ? fc.oneof(hint.map(Number), inRange) : inRange;
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const items = (schema.items as JsonSchema | undefined) ?? {};
        const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, 4);
        const minLength = Math.min(typeof schema.minItems === 'number' ? schema.minItems : 0, maxLength);
        return fc.array(this.node(items, root, name, depth + 1), { minLength, maxLength });
      }
      case 'object':
        return this.object(schema, root, depth);
      default:
        return hint ?? fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: JsonSchema, hint: fc.Arbitrary<string> | undefined): fc.Arbitrary<string> {
    const options: fc.Arbitrary<string>[] = [];
    if (hint) options.push(hint, hint);
    if (typeof schema.pattern === 'string') {
      const pattern = new RegExp(schema.pattern);
      const realistic = realisticFor(pattern);
      if (realistic) options.push(realistic, realistic, realistic);
      options.push(fc.stringMatching(pattern));
    } else if (schema.format === 'email') options.push(fc.emailAddress());
    else if (schema.format === 'uuid') options.push(fc.uuid());
    else if (schema.format === 'uri' || schema.format === 'url') options.push(fc.webUrl());
    else if (schema.format === 'date-time')
      options.push(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
    if (!options.length || !hint) {
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const maxLength = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 30, 60);
      options.push(fc.string({ minLength: Math.min(minLength, maxLength), maxLength }));
    }
    return fc.oneof(...options);
  }

  private object(schema: JsonSchema, root: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, value] of Object.entries(properties)) model[key] = this.node(value, root, key, depth + 1);
    const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    // Tame values pair start/end and from/to the way people do (end an hour or so after start), or the generated
    // requests would rarely get past validation to the use cases and the store.
    const paired = fc
      .tuple(record, fc.nat(4), fc.constantFrom(30, 60, 90))
      .map(([value, dice, minutes]) => (dice > 0 ? pairRanges(value, minutes) : value));
    if (this.wildness === 0) return paired;
    // Sometimes an unknown field (a name, an identity number): it must be refused, never stored.
    const extraField = fc.tuple(fc.constantFrom('name', 'personnummer', 'extra', '__proto__', 'constructor'), boundaryValue);
    const extra = fc.oneof({ weight: Math.round(1 / this.wildness), arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extraField });
    return fc.tuple(paired, extra).map(([value, field]) => {
      const copy: Record<string, unknown> = { ...value };
      if (field) Object.defineProperty(copy, field[0], { value: field[1], enumerable: true, configurable: true, writable: true });
      return copy;
    });
  }
}
