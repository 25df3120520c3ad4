/** Jest transform: TypeScript/TSX → CommonJS with esbuild (no type checking; `npm run typecheck` does that). */
const { transformSync } = require('esbuild')

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      jsx: 'automatic',
    })
    return { code: result.code }
  },
}
