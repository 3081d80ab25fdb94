import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Kernel tests share the machine's netfilter modules and namespaces: run files one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
