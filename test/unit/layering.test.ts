import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The direction handler → use case → domain/store is a lint rule (eslint.config.js, `mayNotImport`), run by
// `npm run lint` and so by `npm test`. These lint a one-line module placed in each layer, as the real files are.
const eslint = new ESLint();
async function restrictedImports(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const x = y;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the direction of dependencies (eslint.config.js)', () => {
  it.each([
    ['shared/domain/x.ts', "import { y } from '../http/errors.js';"],
    ['shared/domain/figures/x.ts', "import { y } from '../../use-cases/deps.js';"],
    ['shared/domain/x.ts', "import { y } from '../store/client.js';"],
    ['shared/schemas/x.ts', "import type { y } from '../http/route-defs.js';"],
    ['shared/store/x.ts', "import { y } from '../use-cases/deps.js';"],
    ['shared/store/x.ts', "import { y } from '../http/errors.js';"],
    ['shared/store/x.ts', "export { y } from '../../shared/http/handler.js';"],
    ['shared/identity/x.ts', "import { y } from '../http/principal.js';"],
    ['shared/use-cases/x.ts', "import { y } from '../http/errors.js';"],
    ['shared/use-cases/x.ts', "import type { y } from '@aws-sdk/lib-dynamodb';"],
    ['shared/http/x.ts', "import { y } from '../../functions/health.js';"],
  ])('refuses the back-edge %s: %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toHaveLength(1);
  });

  it.each([
    ['functions/x.ts', "import { y } from '../shared/use-cases/deps.js';"],
    ['shared/http/x.ts', "import { y } from '../use-cases/deps.js';"],
    ['shared/use-cases/x.ts', "import { y } from '../store/client.js';"],
    ['shared/use-cases/x.ts', "import { y } from '../domain/errors.js';"],
    ['shared/store/x.ts', "import { y } from '../domain/errors.js';"],
    ['shared/domain/x.ts', "import { y } from '../schemas/common.js';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toEqual([]);
  });
});
