/** Jest: TypeScript through a tiny esbuild transform; tests live under tests/. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: {
    '^.+\\.(ts|tsx)$': '<rootDir>/tests/support/esbuild-transform.js',
  },
  moduleNameMapper: {
    '^@domain/(.*)$': '<rootDir>/domain/$1',
  },
  testTimeout: 60000,
}
