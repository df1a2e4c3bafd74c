import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataModelFile, renderDataModel } from '../../shared/cli/data-model.js';
import type { ItemKind } from '../../shared/store/item-kinds.js';
import { itemKindNames, itemKinds, keyFormsOf, kindsOfKey, personalKinds } from '../../shared/store/item-kinds.js';
import { figureKeys, keys, networkKeys } from '../../shared/store/table-design.js';
import { purgeSteps, purgeStepsByKind } from '../../shared/use-cases/purge.js';

const kinds: [string, ItemKind][] = itemKindNames.map((name) => [name, itemKinds[name]]);

describe('the registry of item kinds', () => {
  it('gives every kind that holds personal data a purge step', () => {
    // The registry says which kinds hold a case code, contact details or free text; the purge says which steps handle each kind.
    expect(personalKinds.length).toBeGreaterThan(0);
    for (const name of personalKinds)
      expect(purgeStepsByKind[name].length, `${name} holds personal data but no purge step handles it`).toBeGreaterThan(0);
    for (const name of itemKindNames) for (const step of purgeStepsByKind[name]) expect(purgeSteps).toContain(step);
  });

  it('names every key builder of table-design.ts: an item key in exactly one kind, an index key in some kind', () => {
    const itemBuilders = new Set(kinds.flatMap(([, kind]) => kind.keys.map((k) => k.builder as unknown)));
    const indexBuilders = new Set(kinds.flatMap(([, kind]) => kind.indexes.map((k) => k.builder as unknown)));
    const builders = Object.entries({
      ...prefixed('keys', keys),
      ...prefixed('figureKeys', figureKeys),
      ...prefixed('networkKeys', networkKeys),
    }).filter((entry): entry is [string, (...args: string[]) => unknown] => typeof entry[1] === 'function');
    let items = 0;
    for (const [name, builder] of builders) {
      const built = builder(...Array.from({ length: builder.length }, (_, i) => `<a${i}>`));
      if (typeof built !== 'object' || built === null) continue; // a prefix or a partition, for queries
      if ('pk' in built) {
        items += 1;
        expect(itemBuilders.has(builder), `${name} builds an item key that no kind in the registry names`).toBe(true);
        expect(kinds.filter(([, kind]) => kind.keys.some((k) => k.builder === builder)).length, name).toBe(1);
      } else expect(indexBuilders.has(builder), `${name} builds an index key that no kind in the registry names`).toBe(true);
    }
    expect(items).toBeGreaterThanOrEqual(20);
  });

  it('tells every kind’s keys apart: each key form is of its own kind only', () => {
    for (const [name, kind] of kinds) for (const key of keyFormsOf(kind)) expect(kindsOfKey(key), `${key.pk} ${key.sk}`).toEqual([name]);
    expect(kindsOfKey(keys.visit('t1', 'abc'))).toEqual(['visit']);
    expect(kindsOfKey(keys.audit('t1', 'visit', 'abc', '2026-11-23T08:00:00.000Z', 2, 'id'))).toEqual(['auditEntry']);
    expect(kindsOfKey(keys.purgeReceipt('t1', '2026-11-23T08:00:00.000Z', 'id'))).toEqual(['purgeReceipt']);
    expect(kindsOfKey(keys.reminder('t1', 'visit#v1#anna#2026-11-23T08:00:00.000Z'))).toEqual(['reminder']);
    expect(kindsOfKey({ pk: 'TEAM#t1#UNKNOWN', sk: 'X' })).toEqual([]);
  });
});

describe('docs/data-model.md', () => {
  it('is the one generated from the registry (`npm run docs:data-model` writes it)', () => {
    expect(readFileSync(dataModelFile, 'utf8')).toBe(renderDataModel());
  });
});

function prefixed(prefix: string, object: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [`${prefix}.${k}`, v]));
}
