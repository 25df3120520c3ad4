/**
 * The layers and rooms (README "Where code goes"), checked by `npm run check:layers`:
 *
 *   domain/<context>/  ←  backend/platform/  ←  backend/<context>/  ←  backend/compositions/  ←  cloudfunctions/<fn>/src
 *   domain/            ←  src/ (the mini-program)
 *
 * A function never holds the SDK handle (backend/platform/cloud): its database calls live in the contexts.
 *
 * An arrow may only point left; no cycles between files; the mini-program never reaches the
 * backend or the functions; the emulator and tests may read anything.
 */
const CONTEXTS = '(membership|loyalty|coupons|orders|mall|promo|social)'

/**
 * The contexts from the bottom up, the same in domain/ and backend/: a context may use the ones
 * before it, never one after it (nor one of the same rank), so there is no cycle between contexts.
 */
const CONTEXT_RANKS = [['membership'], ['coupons'], ['loyalty'], ['orders'], ['mall', 'promo', 'social']]

const contextOrder = CONTEXT_RANKS.flatMap((rank, index) =>
  rank.map((context) => {
    const notBelow = CONTEXT_RANKS.slice(index)
      .flat()
      .filter((other) => other !== context)
    return {
      name: `context-order-${context}`,
      severity: 'error',
      comment: `${context} may use only the contexts below it (${CONTEXT_RANKS.slice(0, index).flat().join(', ') || 'none'}), never ${notBelow.join(', ')}.`,
      from: { path: `^(domain|backend)/${context}/` },
      to: { path: `^(domain|backend)/(${notBelow.join('|')})/` },
    }
  }),
)

module.exports = {
  forbidden: [
    ...contextOrder,
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle between files (and so between contexts) is refused.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contexts-talk-through-index',
      severity: 'error',
      comment: "Another context, a composition or a function reaches a context only through that room's index.ts (its small public surface); a context's own rooms see each other whole.",
      from: { path: '^(domain|backend)/([a-z-]+)/' },
      to: { path: '^(domain|backend)/' + CONTEXTS + '/(?!index\\.ts$)[^/]+$', pathNot: '^(domain|backend)/$2/' },
    },
    {
      name: 'entry-points-through-index',
      severity: 'error',
      comment: 'Functions and the mini-program reach a context only through its index.ts.',
      from: { path: '^(cloudfunctions|src)/' },
      to: { path: '^(domain|backend)/' + CONTEXTS + '/(?!index\\.ts$)[^/]+$' },
    },
    {
      name: 'kernel-below-contexts',
      severity: 'error',
      comment: 'domain/shared and domain/contract are the vocabulary every context uses: they import no context.',
      from: { path: '^domain/(shared|contract)/' },
      to: { path: '^(domain|backend)/' + CONTEXTS + '/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is pure: it imports neither backend/, cloudfunctions/, src/, emulator/ nor the SDK.',
      from: { path: '^domain/' },
      to: { path: ['^backend/', '^cloudfunctions/', '^src/', '^emulator/', '^tests/', '@cloudbase/node-sdk'] },
    },
    {
      name: 'backend-not-above-functions',
      severity: 'error',
      comment: 'backend/ never imports a cloud function (functions are the top layer).',
      from: { path: '^backend/' },
      to: { path: '^cloudfunctions/' },
    },
    {
      name: 'platform-below-contexts',
      severity: 'error',
      comment: 'backend/platform/ is shared infrastructure: it imports no context and no composition.',
      from: { path: '^backend/platform/' },
      to: { path: ['^backend/' + CONTEXTS + '/', '^backend/compositions/'] },
    },
    {
      name: 'contexts-below-compositions',
      severity: 'error',
      comment: 'A context never imports backend/compositions/ (only function entry points do).',
      from: { path: '^backend/' + CONTEXTS + '/' },
      to: { path: '^backend/compositions/' },
    },
    {
      name: 'only-backend-uses-the-sdk',
      severity: 'error',
      comment: 'Only backend/platform/ holds the SDK handle; nothing else imports @cloudbase/node-sdk (the emulator and tests talk through it).',
      from: { pathNot: ['^backend/platform/', '^emulator/', '^tests/', '^bench/', '^scripts/'] },
      to: { path: '@cloudbase/node-sdk' },
    },
    {
      name: 'mini-program-not-to-server',
      severity: 'error',
      comment: 'The mini-program (src/) shares only domain/ with the server: never backend/, cloudfunctions/ or emulator/.',
      from: { path: '^src/' },
      to: { path: ['^backend/', '^cloudfunctions/', '^emulator/'] },
    },
    {
      name: 'functions-hold-no-database',
      severity: 'error',
      comment: 'A cloud function is a router and composition: it never imports the SDK handle (backend/platform/cloud); persistence lives in backend/<context>/.',
      from: { path: '^cloudfunctions/' },
      to: { path: '^backend/platform/cloud\\.ts$' },
    },
    {
      name: 'functions-not-to-each-other',
      severity: 'error',
      comment: 'A cloud function is deployed alone: it never imports another function.',
      from: { path: '^cloudfunctions/([^/]+)/' },
      to: { path: '^cloudfunctions/', pathNot: '^cloudfunctions/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a moved file leaves no dangling import).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cloudfunctions/[^/]+/index\\.js$', '^dist/', '^node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
}
