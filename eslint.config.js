import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import shopsight from './lint/stage-imports.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { shopsight },
    rules: {
      // A file imports only from its own stage or an earlier one (lint/stage-imports.js holds the table).
      'shopsight/stage-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@duckdb/*'],
              message: 'Only src/warehouse/duckdb/ may import DuckDB (one file touches the engine).',
            },
            {
              group: ['@clickhouse/*'],
              message:
                'Only src/warehouse/clickhouse/ may import the ClickHouse client (one file touches the engine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/warehouse/duckdb/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The ClickHouse client is confined to its folder; DuckDB stays confined there too.
    files: ['src/warehouse/clickhouse/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@duckdb/*'],
              message: 'Only src/warehouse/duckdb/ may import DuckDB (one file touches the engine).',
            },
          ],
        },
      ],
    },
  },
);
