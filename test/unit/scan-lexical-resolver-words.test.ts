// Definitions and blocks naming a word the resolver reads (argparse's add_argument, a save word)
// are left out of the parse unless they save a folder or define an argparse default kept code
// reads by name: the fast path must still give exactly what parsing the whole text gives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FOLDER_KEYWORD_NAMES, rangesToParse, SAVE_CALL_NAMES } from '../../server/scan/lexical-python';
import { DOWNLOAD_FOLDER_KEYWORD, SAVE_KEYWORDS, SAVE_METHODS, scanPython } from '../../server/scan/python';
import { assertFastEqualsPlain } from '../support/fast-path';

const keptText = (text: string) => rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');

/** The fast path's references equal the plain path's, and the plain path finds `id`. */
async function resolvesAsPlain(text: string, id: string): Promise<void> {
  const plain = await scanPython(text, { plainParse: true });
  assert.ok(plain.some((r) => r.modelId === id), `${id} in ${JSON.stringify(plain.map((r) => r.modelId))}`);
  assert.deepEqual(await scanPython(text), plain, text);
}

const PARSER = ['import argparse', 'from transformers import AutoModel', '', 'def parse():', '    p = argparse.ArgumentParser()', '    p.add_argument("--model-name", "-m", default="org/a")', '    p.add_argument("--other", dest="custom", default="org/b")', '    p.add_argument("--verbose", action="store_true")', '    return p.parse_args()', ''];

describe('argparse and save words in the lexical pass', () => {
  it('knows the save methods and folder keywords the scanner reads', () => {
    assert.deepEqual(new Set(SAVE_CALL_NAMES), SAVE_METHODS);
    assert.deepEqual(new Set(FOLDER_KEYWORD_NAMES), new Set([...SAVE_KEYWORDS, DOWNLOAD_FOLDER_KEYWORD]));
  });

  it('leaves out a definition whose argparse defaults kept code never reads', () => {
    const text = [...PARSER, 'model = AutoModel.from_pretrained("org/c")', ''].join('\n');
    const kept = keptText(text);
    assert.equal(kept, 'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("org/c")\n');
    assert.equal(rangesToParse(text)!.length, 2);
  });

  it('keeps it when kept code reads a default by its flag or its dest', async () => {
    for (const [read, id] of [
      ['args.model_name', 'org/a'],
      ['args.custom', 'org/b'],
    ]) {
      const text = [...PARSER, 'args = parse()', `model = AutoModel.from_pretrained(${read})`, ''].join('\n');
      assert.ok(keptText(text).includes('def parse():'), read);
      await resolvesAsPlain(text, id);
    }
  });

  it('leaves out a definition naming a save word without saving, and keeps one that saves', () => {
    const head = 'from transformers import AutoModel\n';
    const load = 'model = AutoModel.from_pretrained("org/d")\n';
    for (const definition of ['def f(folder):\n    output_dir = folder\n    return output_dir\n', 'class Job:\n    def __init__(self):\n        self.output_dir = "org/d"\n        self.save = None\n', 'def g(x):\n    if x.output_dir == "org/d":\n        return x.save\n']) {
      assert.equal(keptText(head + definition + load), head + load, definition);
    }
    for (const definition of ['def f(m):\n    m.save_pretrained("org/d")\n', 'def f(m):\n    m.save \\\n        ("org/d")\n', 'def f(t):\n    t(output_dir  # where\n      = "org/d")\n', 'def f():\n    snapshot_download("org/e", local_dir="org/d")\n', 'def f(m):\n    save(m, "x")\n', 'def f(t):\n    return f"{t(output_dir=\'org/d\')}"\n', 'def f(output_dir=None):\n    return output_dir\n']) {
      // (A parameter's default reads like a keyword argument here: kept, though it saves nothing.)
      assert.ok(keptText(head + definition + load).includes(definition), definition);
    }
  });

  it('keeps a definition whose import the resolver reads whatever kept code names (sys, a Hub library)', async () => {
    const load = 'm = AutoModel.from_pretrained(sys.argv[1] if len(sys.argv) > 1 else "org/argv")\n';
    await resolvesAsPlain(`from transformers import AutoModel\ndef f():\n    import sys\n\n${load}`, 'org/argv');
    await resolvesAsPlain(`from transformers import AutoModel\ndef f(): import sys\n\n${load}`, 'org/argv');
    await resolvesAsPlain(`from transformers import AutoModel\ndef f():\n    from sys import argv as a\n\nm = AutoModel.from_pretrained(a[1] if len(a) > 1 else "org/argv2")\n`, 'org/argv2');
    // A local receiver's from_pretrained is a load once the file imports a loader's library anywhere.
    await resolvesAsPlain('def f():\n    import unsloth\n\ncls = make()\nm = cls.from_pretrained("org/local")\n', 'org/local');
  });

  it('leaves out a definition importing os or sys when no kept code could read the environment or argv through them', async () => {
    const text = 'from transformers import AutoModel\ndef f():\n    import os, sys\n    return os.getcwd(), sys.path\n\nm = AutoModel.from_pretrained("org/x")\n';
    assert.ok(!keptText(text).includes('def f'));
    const environment = 'from transformers import AutoModel\ndef f():\n    import os\n\nm = AutoModel.from_pretrained(os.environ.get("M", "org/env"))\n';
    assert.ok(keptText(environment).includes('def f'));
    await resolvesAsPlain(environment, 'org/env');
  });

  it('still sees a folder saved in a definition: loading it later is local', async () => {
    const text = 'from transformers import AutoModel\ndef train(m):\n    m.save_pretrained("org/saved")\n\nmodel = AutoModel.from_pretrained("org/saved")\nother = AutoModel.from_pretrained("org/f")\n';
    const fast = await scanPython(text);
    assert.deepEqual(fast, await scanPython(text, { plainParse: true }));
    assert.deepEqual(fast.map((r) => r.modelId), ['org/f']);
  });

  it('leaves out a block holding only argparse calls nobody reads, and keeps one whose default is read', async () => {
    const block = 'if __name__ == "__main__":\n    p = argparse.ArgumentParser()\n    p.add_argument("--size", default=3)\n';
    const head = 'import argparse\nfrom transformers import AutoModel\n';
    assert.equal(keptText(`${head}${block}m = AutoModel.from_pretrained("org/g")\n`), 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/g")\n');
    const read = `${head}${block.replace('default=3', 'default="org/h"')}    args = p.parse_args()\nm = AutoModel.from_pretrained(args.size)\n`;
    await resolvesAsPlain(read, 'org/h');
  });

  it('finds the same as the plain path on generated files mixing argparse, saves and loads', async () => {
    const pieces = [
      'import argparse\n',
      'from transformers import AutoModel\n',
      'def parse():\n    p = argparse.ArgumentParser()\n    p.add_argument("--model-name", default="org/a")\n    p.add_argument("-o", "--out", dest="target", default="org/b")\n    return p.parse_args()\n',
      'def parse2(p):\n    p.add_argument("model", default="org/c")\n',
      'if __name__ == "__main__":\n    q = argparse.ArgumentParser()\n    q.add_argument("--model_name", default="org/d")\n',
      'args = parse()\n',
      'm1 = AutoModel.from_pretrained(args.model_name)\n',
      'm2 = AutoModel.from_pretrained(args.target)\n',
      'm3 = AutoModel.from_pretrained(args.model)\n',
      'm4 = AutoModel.from_pretrained("org/b")\n',
      'def train(m):\n    m.save_pretrained("org/b")\n',
      'def fit(t):\n    t.run(output_dir="org/a")\n',
      'def keep(output_dir="org/c"):\n    return output_dir\n',
      'class Job:\n    output_dir = "org/d"\n    def save(self):\n        return self.output_dir\n',
      'def fetch():\n    snapshot_download("org/x", local_dir="org")\n',
      'from huggingface_hub import snapshot_download\n',
      'if True:\n    AutoModel.save_pretrained(m1, "org/a")\n',
    ];
    await assertFastEqualsPlain(pieces, { maxLength: 10, numRuns: 400, seed: 29 });
  });
});
