import { readFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14 §2: every schema and route definition is built at module scope, and a function's cold start must build
 * only those it uses. esbuild drops an unused top-level initializer only when it is free of side effects, so each
 * one that calls anything is written `/* @__PURE__ *\/ (() => …)()` — an annotated call without arguments, which
 * esbuild removes whole when its value is unused (an annotated `z.object({ a: z.string() })` keeps the inner
 * calls). This keeps new schemas written that way; test/infra/bundle.test.ts checks the bundles themselves.
 */
const tsIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`);
// The stores and senders build schemas at module scope too (stored items, the environment): many functions import them.
const files = [...tsIn('shared/schemas'), 'shared/http/route-defs.ts', ...tsIn('shared/store'), ...tsIn('shared/notify')];

function callsSomething(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) return true;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return false;
  return ts.forEachChild(node, callsSomething) ?? false;
}

function impureInitializers(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExpressionStatement(statement)) found.push(`${path}: a top-level statement with effects: ${statement.getText(source).slice(0, 60)}`);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!init || ts.isArrowFunction(init) || ts.isFunctionExpression(init)) continue;
      // Only initializers that call something build anything (literals, arrays of literals, arithmetic, `new Set` do not).
      if (!callsSomething(init)) continue;
      const isIife =
        ts.isCallExpression(init) &&
        init.arguments.length === 0 &&
        ts.isParenthesizedExpression(init.expression) &&
        ts.isArrowFunction(init.expression.expression);
      const annotated = text.slice(declaration.name.getEnd(), init.getStart(source)).includes('@__PURE__');
      if (!(isIife && annotated)) found.push(`${path}: ${declaration.name.getText(source)}`);
    }
  }
  return found;
}

describe('schemas and route definitions', () => {
  it('are built by @__PURE__ initializers, so a bundle keeps only those its function uses', () => {
    expect(files.flatMap(impureInitializers)).toEqual([]);
  });
});
