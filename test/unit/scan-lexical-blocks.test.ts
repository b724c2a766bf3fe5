// Module-level blocks (`if`/`try`/`for`/`while`/`with` with their `elif`/`else`/`except`/`finally`)
// the lexical pass leaves out: only when nothing the resolver reads can come from them. Each kind
// of binding a block can hold is checked to still reach a loader, and the fast path must give
// exactly what parsing the whole text gives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rangesToParse } from '../../server/scan/lexical-python';
import { scanPython } from '../../server/scan/python';
import { assertFastEqualsPlain } from '../support/fast-path';

const keptText = (text: string) => rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');

/** The fast path's references equal the plain path's, and the plain path finds `id`. */
async function resolvesAsPlain(text: string, id: string): Promise<void> {
  const plain = await scanPython(text, { plainParse: true });
  assert.ok(plain.some((r) => r.modelId === id), `${id} in ${JSON.stringify(plain.map((r) => r.modelId))}`);
  assert.deepEqual(await scanPython(text), plain, text);
}

describe('module-level blocks in the lexical pass', () => {
  it('leaves out blocks that bind nothing kept code names, with all their clauses', () => {
    const text = [
      'import sys',
      'from transformers import AutoModel',
      'if sys.platform == "win32":',
      '    def helper(a, b, MODEL=1):',
      '        MODEL = "x/y"',
      '        return a',
      '    class Unused:',
      '        X = 1',
      'elif sys.platform == "darwin":',
      '    helper = None',
      'else:',
      '    TABLE = {"a": 1}',
      'try:',
      '    import json',
      'except ImportError:',
      '    json = None',
      'finally:',
      '    pass',
      'for i in range(3):',
      '    print(i)',
      'while False:',
      '    break',
      'with open(__file__) as handle:',
      '    DATA = handle.read()',
      'MODEL = "org/model"',
      'model = AutoModel.from_pretrained(MODEL)',
      '',
    ].join('\n');
    const ranges = rangesToParse(text)!;
    const kept = 'from transformers import AutoModel\nMODEL = "org/model"\nmodel = AutoModel.from_pretrained(MODEL)\n';
    assert.equal(keptText(text), kept);
    // Two ranges (the import; the constant and the load): 96 of the text's 510 characters.
    assert.equal(ranges.length, 2);
    assert.equal(ranges.reduce((sum, r) => sum + r.end - r.start, 0), kept.length);
    assert.ok(kept.length * 5 < text.length);
  });

  it('keeps a block once kept code names what it binds, and then what the block names', () => {
    const text = [
      'from transformers import AutoModel',
      'BASE = "org"',
      'if True:',
      '    NAME = BASE + "/a"',
      'else:',
      '    NAME = "org/b"',
      'if True:',
      '    OTHER = 1',
      'model = AutoModel.from_pretrained(NAME)',
      '',
    ].join('\n');
    const kept = keptText(text);
    for (const line of ['BASE = "org"', 'NAME = BASE', 'else:', 'NAME = "org/b"']) assert.ok(kept.includes(line), line);
    assert.ok(!kept.includes('OTHER'));
  });

  it('leaves out a block whose functions and imports kept code names: the resolver reads neither by name', () => {
    const text = [
      'import re',
      'from transformers import AutoModel',
      'if True:',
      '    import re',
      '    def helper(x):',
      '        import json',
      '        return re.sub("a", "b", x)',
      'def load():',
      '    return AutoModel.from_pretrained(helper(re.escape("org/x")), json=1)',
      '',
    ].join('\n');
    const kept = keptText(text);
    assert.ok(kept.includes('def load():') && !kept.includes('if True:'), kept);
  });

  it('resolves a loader reading a constant assigned in an if/elif/else block', async () => {
    await resolvesAsPlain('from transformers import AutoModel\nimport os\nif os.name == "nt":\n    MODEL = "org/a"\nelif os.name == "x":\n    pass\nelse:\n    MODEL = "org/b"\nm = AutoModel.from_pretrained(MODEL)\n', 'org/b');
  });

  it('resolves through names imported in a try block (a name, a Hub library)', async () => {
    await resolvesAsPlain('from transformers import AutoModel\ntry:\n    import sys\nexcept ImportError:\n    pass\nm = AutoModel.from_pretrained(sys.argv[1] if len(sys.argv) > 1 else "org/c")\n', 'org/c');
    await resolvesAsPlain('try:\n    from transformers import AutoModel as AM\nexcept ImportError:\n    AM = None\nm = AM.from_pretrained("org/c2")\n', 'org/c2');
    // A local receiver's from_pretrained counts once the file imports a Hub library anywhere.
    await resolvesAsPlain('try:\n    import transformers\nexcept ImportError:\n    pass\ncls = make()\nm = cls.from_pretrained("org/c3")\n', 'org/c3');
    await resolvesAsPlain('from transformers import AutoModel\nif True:\n    from os import environ\nm = AutoModel.from_pretrained(environ.get("M", "org/c4"))\n', 'org/c4');
  });

  it('resolves through classes and imports inside definitions inside a block', async () => {
    await resolvesAsPlain('from transformers import AutoModel\nif True:\n    class Config:\n        NAME = "org/e"\nm = AutoModel.from_pretrained(Config.NAME)\n', 'org/e');
    await resolvesAsPlain('from transformers import AutoModel\nif True:\n    def make():\n        class Config:\n            NAME = "org/f"\n        return Config\nm = AutoModel.from_pretrained(Config.NAME)\n', 'org/f');
    await resolvesAsPlain('from transformers import AutoModel\nif True:\n    def f():\n        import sys\n        return 1\nm = AutoModel.from_pretrained(sys.argv[1] if len(sys.argv) > 1 else "org/g")\n', 'org/g');
  });

  it('resolves constants however a block assigns them (one-line compounds, `;`, annotations, continuations, after a body)', async () => {
    const use = 'from transformers import AutoModel\nm = AutoModel.from_pretrained(NAME)\n';
    for (const [block, id] of [
      ['if True: NAME: str = "org/h"\n', 'org/h'],
      ['if True: x = 1; NAME = "org/i"\n', 'org/i'],
      ['if True:\n    NAME \\\n        = "org/j"\n', 'org/j'],
      ['if True:\n    def f():\n        x = 1\n    NAME = "org/k"\n', 'org/k'],
      ['if True:\n\tdef f():\n\t\tx = 1\n\tNAME = "org/l"\n', 'org/l'],
      ['if True:\n    def f():\n        """\nNAME = 1\n"""\n    NAME = "org/m"\n', 'org/m'],
      ['with open(__file__) as handle:\n    NAME = "org/n"\n', 'org/n'],
      ['for _ in range(1):\n    NAME = "org/o"\n', 'org/o'],
      ['while True:\n    NAME = "org/p"\n    break\n', 'org/p'],
      ['try:\n    pass\nexcept ImportError:\n    pass\nelse:\n    if True:\n        NAME = "org/q"\n', 'org/q'],
      ['try:\n    pass\nfinally:\n    NAME = "org/r"\n', 'org/r'],
    ]) {
      await resolvesAsPlain(`import os\n${block}${use}`, id);
    }
  });

  it('keeps blocks the resolver reads whatever their names: argparse, dataclasses, saves, loader aliases', async () => {
    const head = 'from transformers import AutoModel\n';
    await resolvesAsPlain(`${head}import argparse\nif __name__ == "__main__":\n    p = argparse.ArgumentParser()\n    p.add_argument("--model", default="org/s")\n    args = p.parse_args()\n    m = AutoModel.from_pretrained(args.model)\n`, 'org/s');
    await resolvesAsPlain(`${head}from dataclasses import dataclass\nif True:\n    @dataclass\n    class Options:\n        model: str = "org/t"\ndef load(o):\n    return AutoModel.from_pretrained(o.model)\n`, 'org/t');
    await resolvesAsPlain(`${head}if True:\n    import transformers.pipelines as make\n    from transformers import pipeline as build\nm = build("text-classification", model="org/u")\n`, 'org/u');
    // A folder saved in a block is local: the later load of it is no Hub reference.
    const saved = `${head}if True:\n    AutoModel.from_pretrained("org/v").save_pretrained("org/w")\nm = AutoModel.from_pretrained("org/w")\n`;
    assert.ok(keptText(saved).includes('save_pretrained'));
    assert.deepEqual(await scanPython(saved), await scanPython(saved, { plainParse: true }));
    assert.ok(!(await scanPython(saved)).some((r) => r.modelId === 'org/w'));
  });

  it('finds the same as the plain path on generated files mixing blocks, constants, classes and imports', async () => {
    const pieces = [
      'from transformers import AutoModel\n',
      'import sys\n',
      'import os\n',
      'MODEL = "org/model-a"\n',
      'm = AutoModel.from_pretrained(MODEL)\n',
      'n = AutoModel.from_pretrained(NAME)\n',
      'c = AutoModel.from_pretrained(Config.NAME)\n',
      'a = AutoModel.from_pretrained(sys.argv[1] if len(sys.argv) > 1 else "org/argv")\n',
      'e = AutoModel.from_pretrained(environ.get("M", "org/env"))\n',
      'r = cls.from_pretrained("org/local")\n',
      'if sys.platform == "win32":\n    NAME = "org/win"\nelif os.name == "nt":\n    NAME = "org/nt"\nelse:\n    pass\n',
      'if True:\n    class Config:\n        NAME = "org/class"\n',
      'if True:\n    def f():\n        NAME = "org/local-var"\n        class Config:\n            NAME = "org/nested"\n        import sys\n',
      'try:\n    import sys\nexcept ImportError:\n    sys = None\n',
      'try:\n    from os import environ\nexcept ImportError:\n    environ = {}\n',
      'try:\n    import transformers\nfinally:\n    pass\n',
      'for _ in range(2):\n    MODEL = "org/loop"\n',
      'with open(__file__) as f:\n    NAME: str = "org/with"\n',
      'while False:\n    MODEL = "org/while"\n',
      'if True: NAME = "org/one-line"; MODEL = NAME\n',
      'if True:\n    NAME \\\n        = "org/continued"\n',
      'if True:\n\tdef g():\n\t\tNAME = 1\n\tNAME = "org/tab"\n',
      'if True:\n    pipeline = make\n',
      'if __name__ == "__main__":\n    m = AutoModel.from_pretrained("org/main")\n',
      'if True:\n    AutoModel.save_pretrained(m, "org/model-a")\n',
      'else:\n    NAME = "org/stray-else"\n',
      'if True:\n    x = (\n',
      'def load():\n    return AutoModel.from_pretrained(NAME)\n',
    ];
    await assertFastEqualsPlain(pieces, { maxLength: 10, numRuns: 500, seed: 17 });
  });
});
