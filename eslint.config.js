// Lint: AppSync's own rules on resolvers (so nothing APPSYNC_JS rejects ships),
// typescript-eslint's recommended rules everywhere else.
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdk.out/**', '.data/**', 'generated/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // model/ is shared with the resolvers, so it must stay valid APPSYNC_JS too.
    files: ['resolvers/**/*.ts', 'model/**/*.ts'],
    ignores: ['resolvers/manifest.ts', 'resolvers/bundle.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    extends: [appsync.configs.recommended],
  },
);
