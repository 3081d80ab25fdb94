import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: kernel suites and the parser scale test run minutes on a loaded shared machine;
    // a hang still fails, only later.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Kernel tests share the machine's netfilter modules and namespaces: run files one at a time.
    fileParallelism: false,
    // Removes namespaces that a killed earlier run could not delete (old, empty, `pc-` only).
    globalSetup: ['test/helpers/sweep-stale-namespaces.ts'],
    reporters: ['default'],
  },
});
