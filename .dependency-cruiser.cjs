/**
 * The pipeline's import directions (collect → parse → model → analyze → render; cli on top).
 * `npm test` runs this, so a wrong-way import fails the build.
 */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    { name: 'model-is-the-bottom', severity: 'error', from: { path: layer('model') }, to: { path: '^src/', pathNot: layer('model') } },
    { name: 'parse-sees-only-model', severity: 'error', from: { path: layer('parse') }, to: { path: '^src/', pathNot: [layer('parse'), layer('model')] } },
    { name: 'collect-does-not-analyze', severity: 'error', from: { path: layer('collect') }, to: { path: '^src/', pathNot: [layer('collect'), layer('parse'), layer('model'), '^src/version\\.ts$'] } },
    { name: 'analyze-never-sees-raw-text', severity: 'error', from: { path: layer('analyze') }, to: { path: '^src/', pathNot: [layer('analyze'), layer('model')] } },
    { name: 'render-reads-results-only', severity: 'error', from: { path: layer('render') }, to: { path: '^src/', pathNot: [layer('render'), layer('analyze'), layer('model'), '^src/version\\.ts$'] } },
    { name: 'nothing-imports-cli', severity: 'error', from: { pathNot: layer('cli') }, to: { path: layer('cli') } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
