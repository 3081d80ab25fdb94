/**
 * The pipeline's import directions (collect → parse → model → analyze → render; cli on top).
 * `npm test` runs this on dist/, so a wrong-way import fails the build.
 */
const layer = (name) => `^dist/${name}/`;
module.exports = {
  forbidden: [
    { name: 'model-is-the-bottom', severity: 'error', from: { path: layer('model') }, to: { path: '^dist/', pathNot: layer('model') } },
    { name: 'parse-sees-only-model', severity: 'error', from: { path: layer('parse') }, to: { path: '^dist/', pathNot: [layer('parse'), layer('model')] } },
    { name: 'collect-does-not-analyze', severity: 'error', from: { path: layer('collect') }, to: { path: '^dist/', pathNot: [layer('collect'), layer('parse'), layer('model'), '^dist/version\\.js$'] } },
    { name: 'analyze-never-sees-raw-text', severity: 'error', from: { path: layer('analyze') }, to: { path: '^dist/', pathNot: [layer('analyze'), layer('model')] } },
    { name: 'render-reads-results-only', severity: 'error', from: { path: layer('render') }, to: { path: '^dist/', pathNot: [layer('render'), layer('analyze'), layer('model'), '^dist/version\\.js$'] } },
    { name: 'apply-stands-apart', severity: 'error', from: { path: layer('apply') }, to: { path: '^dist/', pathNot: [layer('apply'), layer('analyze'), layer('model'), layer('collect'), '^dist/version\\.js$'] } },
    { name: 'only-cli-applies', severity: 'error', from: { pathNot: [layer('apply'), layer('cli'), '^dist/index\\.js$'] }, to: { path: layer('apply') } },
    { name: 'store-sees-only-model', severity: 'error', from: { path: layer('store') }, to: { path: '^dist/', pathNot: [layer('store'), layer('model')] } },
    { name: 'nothing-imports-cli', severity: 'error', from: { pathNot: layer('cli') }, to: { path: layer('cli') } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7's compiler has no JS API for dependency-cruiser to parse .ts with, so the
    // check runs on the compiled dist/ (same layout, same imports).
  },
};
