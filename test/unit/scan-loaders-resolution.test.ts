// Smarter resolution: guards (`if x == "a"`, `in (...)`, `elif`, `match`), Hub model classes
// defined in other files of the workspace, and the project's own wrappers around loaders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanPython } from '../../server/scan/python';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';
import { buildWorkspaceSymbols, coveredByCallSites, moduleNames, type SourceText } from '../../server/scan/workspace-symbols';
import { tempWorkspace } from '../support/workspace';

const brief = (text: string, refs: { modelId: string | null; unresolved?: string; idSpan: { start: number; end: number } }[]) =>
  refs.map((r) => `${r.modelId ?? `?${r.unresolved}`} @${text.slice(r.idSpan.start, r.idSpan.end)}`);

describe('guards', () => {
  it('if / elif / or / in: one reference per compared literal; else and != give none', async () => {
    const text = [
      'from transformers import AutoModel',
      'def f(c):',
      '    if c == "org/a":',
      '        AutoModel.from_pretrained(c)',
      '    elif c in ["org/b", "org/c"] or c == "org/d":',
      '        AutoModel.from_pretrained(c)',
      '    elif c != "org/e":',
      '        AutoModel.from_pretrained(c)',
      '    else:',
      '        AutoModel.from_pretrained(c)',
      '',
    ].join('\n');
    assert.deepEqual(brief(text, await scanPython(text)), ['org/a @c', 'org/b @c', 'org/c @c', 'org/d @c', '?c @c', '?c @c']);
  });

  it('match: literal cases and unions resolve; a capture pattern or a guarded case does not', async () => {
    const text = [
      'from transformers import pipeline',
      'def f(m):',
      '    match m:',
      '        case "org/x" | "org/y":',
      '            pipeline("ner", model=m)',
      '        case "org/z" if ready:',
      '            pipeline("ner", model=m)',
      '        case _:',
      '            pipeline("ner", model=m)',
      '',
    ].join('\n');
    assert.deepEqual(brief(text, await scanPython(text)), ['org/x @m', 'org/y @m', '?m @m', '?m @m']);
  });

  it('a guard on another variable, or an attribute compared against a constant, resolves as written', async () => {
    const text = [
      'from transformers import AutoModel',
      'BIG = "org/big"',
      'def f(c, size, args):',
      '    if size == "large":',
      '        AutoModel.from_pretrained(c)',
      '    if args.model == BIG:',
      '        AutoModel.from_pretrained(args.model)',
      '',
    ].join('\n');
    const refs = await scanPython(text);
    assert.deepEqual(brief(text, refs), ['?c @c', 'org/big @args.model']);
    assert.match(refs[1].idSource ?? '', /compared in the if on line 6/);
  });
});

describe('workspace symbols', () => {
  const files: SourceText[] = [
    { relativePath: 'pkg/__init__.py', text: '' },
    { relativePath: 'pkg/nets.py', text: 'from huggingface_hub import PyTorchModelHubMixin\nimport torch\nclass Net(torch.nn.Module, PyTorchModelHubMixin):\n    pass\n' },
    { relativePath: 'pkg/more.py', text: 'from .nets import Net\nclass Wider(Net):\n    pass\nclass Plain(object):\n    pass\n' },
    {
      relativePath: 'pkg/io.py',
      text: [
        'from huggingface_hub import hf_hub_download',
        'from transformers import AutoModel',
        'def fetch(repo, filename):',
        '    return hf_hub_download(repo, filename)',
        'def load(*, name):',
        '    return AutoModel.from_pretrained(name)',
        'class Holder:',
        '    def get(self, name):',
        '        return AutoModel.from_pretrained(name)',
        'local = fetch("org/local", "f.bin")',
        '',
      ].join('\n'),
    },
    {
      relativePath: 'app.py',
      text: [
        'from pkg.io import fetch, load',
        'from pkg.more import Wider, Plain',
        'from pkg import io',
        'from elsewhere import Net',
        'a = fetch("org/one", "model.safetensors")',
        'b = io.fetch(repo="org/two", filename="x")',
        'c = load(name="org/three")',
        'd = load("positional-is-not-name")',
        'e = Wider.from_pretrained("org/wider")',
        'f = Plain.from_pretrained("org/plain")',
        'g = Net.from_pretrained("org/other-net")',
        '',
      ].join('\n'),
    },
  ];

  it('module names: every suffix of the path, packages by their folder', () => {
    assert.deepEqual(moduleNames('src/pkg/io.py'), ['src.pkg.io', 'pkg.io', 'io']);
    assert.deepEqual(moduleNames('pkg/__init__.py'), ['pkg']);
  });

  it('indexes Hub classes through workspace bases, and top-level wrappers with the parameter position', async () => {
    const symbols = await buildWorkspaceSymbols(files);
    assert.deepEqual([...symbols.hubClasses.keys()].sort(), ['Net', 'Wider']);
    assert.equal(symbols.hubClasses.get('Wider')?.library, 'huggingface_hub');
    const wrappers = [...symbols.wrappers.values()].flat().map((w) => [w.key, w.parameter, w.position, w.loader]);
    assert.deepEqual(wrappers, [
      ['pkg/io.py:fetch', 'repo', 0, 'huggingface_hub.hf_hub_download'],
      ['pkg/io.py:load', 'name', -1, 'transformers.from_pretrained'],
    ]);
  });

  it('calls to wrappers and workspace Hub classes are references with the id at the call site', async () => {
    const symbols = await buildWorkspaceSymbols(files);
    const app = files[4].text;
    const refs = await scanPython(app, { workspace: symbols, relativePath: 'app.py' });
    assert.deepEqual(brief(app, refs), ['org/one @"org/one"', 'org/two @"org/two"', 'org/three @"org/three"', 'org/wider @"org/wider"']);
    assert.equal(refs[0].loader, 'huggingface_hub.hf_hub_download');
    assert.equal(refs[0].idSource, 'passed to fetch() (pkg/io.py:3)');
    assert.equal(refs[0].canPin, false);
    assert.equal(refs[3].loader, 'huggingface_hub.from_pretrained');
    // Without the index, the same file has none of them.
    assert.deepEqual(await scanPython(app), []);
  });

  it("the wrapper's inner reference is covered when every call site resolves, not when one does not", async () => {
    const io = files[3].text;
    const inner = async (symbols: Awaited<ReturnType<typeof buildWorkspaceSymbols>>) =>
      (await scanPython(io, { workspace: symbols, relativePath: 'pkg/io.py' })).filter((r) => !coveredByCallSites(symbols, 'pkg/io.py', r));
    assert.deepEqual(brief(io, await inner(await buildWorkspaceSymbols(files))), ['?name @name', 'org/local @"org/local"'], 'only the method (not a wrapper) keeps its unresolved reference');
    const withUnknown = await buildWorkspaceSymbols([...files, { relativePath: 'cli.py', text: 'import sys\nfrom pkg.io import fetch, load\nfetch(sys.argv[1], "f")\nload(name=sys.argv[2])\n' }]);
    assert.deepEqual(brief(io, await inner(withUnknown)), ['?repo @repo', '?name @name', '?name @name', 'org/local @"org/local"']);
  });

  it('a workspace scan reports wrapper calls from files scanned before the wrapper, and leaves out covered inner references with their findings', async () => {
    const workspace = tempWorkspace({
      'a_app.py': 'from z_helpers import load\nm = load("org/early")\n',
      'z_helpers.py': 'from transformers import AutoModel\ndef load(name):\n    return AutoModel.from_pretrained(name)\n',
    });
    try {
      const results = await scanWorkspace(workspace.root, { settings: emptySettings(), localCommit: () => undefined });
      const summary = results.map((r) => [r.relativePath, r.references.map((x) => x.modelId ?? `?${x.unresolved}`), r.findings.map((f) => f.code)]);
      assert.deepEqual(summary, [
        ['a_app.py', ['org/early'], []],
        ['z_helpers.py', [], []],
      ]);
    } finally {
      workspace.dispose();
    }
  });

  it('a folder one file saves a model to is local when another file loads it', async () => {
    const workspace = tempWorkspace({
      'a_eval.py': 'from sentence_transformers import SentenceTransformer\nm = SentenceTransformer("output/my-model")\nn = SentenceTransformer("org/hub-model")\n',
      'b_train.py': 'from sentence_transformers import SentenceTransformer\nm = SentenceTransformer("org/base")\nm.save("output/my-model")\n',
    });
    try {
      const results = await scanWorkspace(workspace.root, { settings: emptySettings(), localCommit: () => undefined });
      assert.deepEqual(results.map((r) => r.references.map((x) => x.modelId)), [['org/hub-model'], ['org/base']]);
    } finally {
      workspace.dispose();
    }
  });
});
