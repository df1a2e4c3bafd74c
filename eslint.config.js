// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The direction of dependencies (CONVENTIONS.md "Data flows one way"): handler (functions/, shared/http) → use case
 * (shared/use-cases) → domain (shared/domain, shared/schemas) and store (shared/store) and the other adapters
 * (shared/notify, shared/identity, shared/solver). A relative import that passes through a directory its file may not
 * reach fails `npm run lint`; paths are matched by segment, so `../http/x.js` and `../../shared/http/x.js` alike.
 * (Only static imports and re-exports: the rule does not see `await import()`.) test/unit/layering.test.ts checks it.
 */
const mayNotImport = (files, dirs, { sdk = false } = {}) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...dirs.map((dir) => ({
            regex: `^\\.\\.?/(.*/)?${dir}/`,
            message: `A module here may not import ${dir}/: dependencies go handler → use case → domain/store (eslint.config.js).`,
          })),
          ...(sdk
            ? [
                {
                  regex: '^@aws-sdk/',
                  message:
                    "Only the store and the adapters (notify, identity) import the AWS SDK; use the store's own types (shared/store/client.ts).",
                },
              ]
            : []),
        ],
      },
    ],
  },
});
const handlers = ['functions', 'infra', 'cli'];
const adapters = ['store', 'notify', 'identity', 'solver'];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/', 'web/dist/', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  mayNotImport(['shared/domain/**/*', 'shared/schemas/**/*'], ['http', 'use-cases', ...adapters, ...handlers], { sdk: true }),
  mayNotImport(['shared/use-cases/**/*'], ['http', ...handlers], { sdk: true }),
  mayNotImport(['shared/store/**/*', 'shared/notify/**/*', 'shared/identity/**/*', 'shared/solver/**/*'], ['http', 'use-cases', ...handlers]),
  mayNotImport(['shared/http/**/*'], handlers),
  mayNotImport(['functions/**/*', 'shared/cli/**/*'], ['infra']),
);
