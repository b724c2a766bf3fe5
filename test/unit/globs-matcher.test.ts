import fc from 'fast-check';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES, emptySettings, excludeMatcher, globsMatcher } from '../../server/config/settings';

// globsMatcher replaces picomatch's array matcher in the walk's exclude test: it must answer
// exactly as picomatch does, for the default excludes and for globs users write.
const reference = (globs: string[]) => picomatch(globs, { dot: true });

const segment = fc.constantFrom('a', 'b', 'src', 'node_modules', '.git', '.venv', 'venv', '__pycache__', 'site-packages', '.tox', 'x.py', 'model.onnx', 'data', '.hidden', 'a.b', 'tests', '');
const path = fc.array(segment, { minLength: 0, maxLength: 6 }).chain((parts) => fc.constantFrom(parts.join('/'), `${parts.join('/')}/`, `/${parts.join('/')}`));
const globPart = fc.constantFrom('**', '*', 'a', 'src', 'node_modules', '*.py', '.git', '?', 'data', '{a,b}', '[ab]', 'tests', '!(a)', '+(a|b)', '@(src|data)', '*.{py,onnx}');
const glob = fc.array(globPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('globsMatcher', () => {
  test('answers as picomatch for the default excludes', () => {
    const ours = globsMatcher(DEFAULT_EXCLUDES);
    const theirs = reference(DEFAULT_EXCLUDES);
    fc.assert(
      fc.property(path, (p) => assert.equal(ours(p), !!theirs(p), p)),
      { numRuns: 2000 },
    );
    assert.ok(ours('lib/node_modules/') && ours('a/.git/x') && !ours('src/model.py'), 'the default excludes still exclude');
  });

  test('answers as picomatch for other globs, the glob itself included', () => {
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 4 }), fc.array(path, { maxLength: 20 }), (globs, paths) => {
        const ours = globsMatcher(globs);
        const theirs = reference(globs);
        for (const p of [...paths, ...globs]) assert.equal(ours(p), !!theirs(p), `${JSON.stringify(globs)} on ${p}`);
      }),
      { numRuns: 500 },
    );
  });

  test('no globs match nothing, and an empty path never matches', () => {
    assert.equal(globsMatcher([])('a'), false);
    assert.equal(globsMatcher(['**'])(''), false);
  });

  test('the exclude matcher still honours user globs, anchored ones too', () => {
    const settings = { ...emptySettings(), exclude: ['**/generated/**', '/work/tree/build/**'] };
    const excluded = excludeMatcher(settings, '/work/tree');
    assert.ok(excluded('src/generated'));
    assert.ok(excluded('build'));
    assert.ok(!excluded('src/build'));
    assert.ok(!excluded('src/model.py'));
  });
});
