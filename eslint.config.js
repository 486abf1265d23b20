import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// The development tooling: the production build leaves it out, so product code must not import it.
const devFolders = ['devstack', 'sim', 'bench', 'test', 'tools', 'scripts'];
// A relative specifier climbing into one of them (esquery regexes cannot hold a literal slash: \x2F).
const devSpecifier = `/^(\\.\\.\\x2F)+(${devFolders.join('|')})\\x2F/`;
const devImportMessage = `Product code never imports the development tooling (${devFolders.map((f) => `${f}/`).join(', ')}): the production build leaves it out.`;
// The production build bundles k8s/kubernetesClient.ts to what the product uses of the library; an import
// of the library itself would load all of it again beside the bundle.
const clientNodeMessage =
  'Product code imports @kubernetes/client-node through k8s/kubernetesClient.ts, which the production build bundles.';

// Every way a module names another. no-restricted-syntax rather than no-restricted-imports: it sees
// dynamic import() too, and leaves no-restricted-imports to folder-specific rules.
const importNodes = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'];
const restrictSource = (value, message) =>
  importNodes.map((node) => ({ selector: `${node}[source.value=${value}]`, message }));
const productImports = [
  ...restrictSource(devSpecifier, devImportMessage),
  {
    selector: "ImportExpression:not([source.type='Literal'])",
    message:
      'A computed import() hides what it loads from the compiler and from the tooling boundary: import a string literal.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '!eslint.config.js',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Kubernetes client models are classes that the API itself expects as plain JSON objects.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              regex: '^(\\.\\./)+activities/',
              message: 'Workflows call activities through their contracts: import from contracts/, not activities/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Activities and workflows meet only in contracts/, so neither side's code depends on the other's.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+workflows/',
              message: 'Activities share with workflows only what is in contracts/: import from there, not workflows/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Everything but the tooling is product.
    files: ['**/*.ts'],
    ignores: [...devFolders.map((f) => `${f}/**`), 'packages/*/test/**', 'packages/*/bench/**', 'vitest.config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...productImports,
        ...restrictSource('"@kubernetes/client-node"', clientNodeMessage),
      ],
    },
  },
  {
    // The one product module that imports the library itself.
    files: ['k8s/kubernetesClient.ts'],
    rules: { 'no-restricted-syntax': ['error', ...productImports] },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
