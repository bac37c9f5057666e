// ESLint: TypeScript rules plus the layer boundaries of the design card.
//   shared/   may not import Node built-ins, Electron, React/DOM code, or the other layers;
//   renderer/ may not import Node built-ins, Electron, or main-process code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeAndElectron = [
  { group: ['node:*'], message: 'Node built-ins are not available here.' },
  { group: ['electron', 'electron/*'], message: 'Electron is main/preload only.' },
  { group: ['better-sqlite3', 'exceljs'], message: 'Node-only packages belong to electron/main.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'coverage/**', 'bench/.data/**', 'test/fixtures/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['electron/**', 'cli/**', 'bench/**', 'scripts/**', 'test/**', '*.config.{js,mjs,ts}', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node built-ins (it runs in the renderer too).' })),
          patterns: [
            ...nodeAndElectron,
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand'], message: 'shared/ has no UI code.' },
            { group: ['**/electron/**', '**/renderer/**', '**/cli/**'], message: 'shared/ may not depend on the layers that use it.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'The renderer runs sandboxed: no Node built-ins.' })),
          patterns: [...nodeAndElectron, { group: ['**/electron/**'], message: 'The renderer reaches main only through the contract (bridge.ts).' }],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
