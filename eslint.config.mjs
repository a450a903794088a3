// ESLint runs one rule Biome cannot check yet: no-floating-promises needs the TypeScript type checker
// (Biome 2's nursery noFloatingPromises does not see the types of Node's own APIs — fs/promises,
// events.once — so a dropped promise from them goes unreported). Every other rule is Biome's (biome.json).
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
  },
  plugins: { '@typescript-eslint': tseslint.plugin },
  linterOptions: { reportUnusedDisableDirectives: 'error' },
  rules: {
    // node:test's test()/describe() return promises the runner itself awaits
    '@typescript-eslint/no-floating-promises': [
      'error',
      { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
    ],
  },
});
