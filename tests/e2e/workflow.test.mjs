// The GitHub Pages workflow (.github/workflows/pages.yml) is valid: it parses as YAML, has
// the shape the official Pages actions need, and its build steps are a dry run away from
// what `make build` does here (shell syntax checked with `bash -n`, the set-up script run for
// real — it only installs what is missing — and the Trunk command the same as the Makefile's
// but for the sub-path).
//
//   cd tests/e2e && node --test workflow.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repo } from './helpers.mjs';

const file = path.join(repo, '.github/workflows/pages.yml');

function workflow() {
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(doc.errors, [], 'pages.yml parses');
  return doc.toJS();
}

test('the Pages workflow has the shape the official actions need', () => {
  const wf = workflow();
  assert.deepEqual(wf.on.push.branches, ['main']);
  assert.ok('workflow_dispatch' in wf.on, 'can be run by hand');
  assert.equal(wf.permissions.pages, 'write');
  assert.equal(wf.permissions['id-token'], 'write');
  const build = wf.jobs.build;
  const deploy = wf.jobs.deploy;
  assert.ok(build && deploy, 'a build and a deploy job');
  assert.equal(deploy.needs, 'build');
  assert.equal(deploy.environment.name, 'github-pages');
  const uses = (job) => job.steps.filter((s) => s.uses).map((s) => s.uses.split('@')[0]);
  assert.ok(uses(build).includes('actions/checkout'));
  assert.ok(uses(build).includes('actions/upload-pages-artifact'));
  assert.ok(uses(deploy).includes('actions/deploy-pages'));
  const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'));
  assert.equal(upload.with.path, 'dist');
  // every action pinned to a major version
  for (const u of [...build.steps, ...deploy.steps].filter((s) => s.uses).map((s) => s.uses)) {
    assert.match(u, /@v\d+$/, `${u} is pinned`);
  }
});

test('the workflow builds like `make build`, under the repository sub-path', () => {
  const wf = workflow();
  const runs = wf.jobs.build.steps.filter((s) => s.run).map((s) => s.run);
  assert.ok(runs.length >= 2, 'set-up and build steps');
  // Substitute the expressions GitHub would, then check the shell syntax of every step.
  const script = runs.join('\n').replaceAll('${{ github.event.repository.name }}', 'dealerlens');
  assert.ok(!script.includes('${{'), 'no unknown expression left in the run steps');
  execFileSync('bash', ['-n'], { input: script });
  // The same set-up script as the README's commands; it exists and runs (skipping what is
  // installed).
  assert.ok(runs.some((r) => r.trim() === 'scripts/setup.sh build'), 'runs scripts/setup.sh build');
  const setup = path.join(repo, 'scripts/setup.sh');
  fs.accessSync(setup, fs.constants.X_OK);
  execFileSync(setup, ['build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  // The Trunk command is the Makefile's, with the sub-path as public URL.
  const trunk = script.split('\n').map((l) => l.trim()).find((l) => l.startsWith('trunk build'));
  assert.ok(trunk, 'a trunk build step');
  assert.equal(trunk, 'trunk build --release --offline --public-url "/dealerlens/"');
  const make = fs.readFileSync(path.join(repo, 'Makefile'), 'utf8');
  assert.match(make, /\n\ttrunk build --release --offline --public-url \.\/\n/, "the Makefile's build");
  assert.ok(script.includes('touch dist/.nojekyll'), 'dist gets .nojekyll');
  // The built app uses relative URLs only, so it works under any sub-path.
  const dist = process.env.DIST || path.join(repo, 'dist');
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/\b(?:src|href|data-js|data-wasm)="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 0);
    for (const r of refs) assert.ok(!r.startsWith('/'), `${r} is relative to the page`);
  }
});
