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
const files = [...readdirSync('shared/schemas').filter((f) => f.endsWith('.ts')).map((f) => `shared/schemas/${f}`), 'shared/http/route-defs.ts'];

function impureInitializers(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExpressionStatement(statement)) found.push(`${path}: a top-level statement with effects: ${statement.getText(source).slice(0, 60)}`);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!init || ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isLiteralExpression(init) || ts.isNoSubstitutionTemplateLiteral(init)) continue;
      if (ts.isTemplateExpression(init) || ts.isRegularExpressionLiteral(init) || ts.isNumericLiteral(init) || ts.isAsExpression(init)) continue;
      const plainObject = ts.isObjectLiteralExpression(init) && init.properties.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer)));
      if (plainObject) continue;
      const isIife = ts.isCallExpression(init) && init.arguments.length === 0 && ts.isParenthesizedExpression(init.expression) && ts.isArrowFunction(init.expression.expression);
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
