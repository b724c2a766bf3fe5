import { weightFormat, weightFormats } from '../knowledge/weight-files';
import { loaderFacts, loadsPickle } from '../scan/loaders';
import type { Rule, RuleReport } from './rule';

export const pickleWeights: Rule = {
  code: 'PTM403',
  name: 'pickle-weights',
  title: 'Pickle weights loaded where safetensors could be',
  defaultSeverity: 'warning',
  scope: 'site',
  docs: {
    what:
      'Flags models whose repository has only pickle-based weights (.bin, .pt, .pth, .ckpt, .pkl), downloads of a pickle weight file, ' +
      'and (as a hint) calls that could insist on safetensors but do not.',
    why:
      'Unpickling runs code: a pickle weight file can execute anything when it is loaded. safetensors files hold only tensors. ' +
      'When a repository has both, passing `use_safetensors=True` makes sure the loader never falls back to the pickle file.',
    example: 'model = AutoModel.from_pretrained("org/model-with-both-formats")',
    useInstead: 'model = AutoModel.from_pretrained("org/model-with-both-formats", use_safetensors=True)',
    fixSafety: 'Safe when the repository has safetensors weights for the files you load (the fix is offered only then).',
  },
  check({ reference, facts }) {
    const info = facts?.info;
    const loader = loaderFacts(reference);
    if (!reference.modelId || !info?.ok || !loader.loadsWeights || !loadsPickle(reference)) return [];
    const files = info.value.siblings.map((s) => s.rfilename);
    const requested = reference.options.filename;
    if (typeof requested?.value === 'string') {
      if (weightFormat(requested.value) !== 'pickle') return [];
      const twin = requested.value.replace(/\.[^./]+$/, '.safetensors');
      const hasTwin = files.includes(twin);
      const literal = /^(['"])[^'"\\]*\1$/.test(requested.text);
      return [{
        message: `${requested.value} is a pickle file: loading it can run code.` + (hasTwin ? ` The repository also has ${twin}; use it instead.` : ' Prefer a .safetensors file.'),
        span: requested.span,
        fixes: hasTwin && literal ? [{ title: `Download ${twin} instead`, preferred: true, edits: [{ span: requested.span, newText: `${requested.text[0]}${twin}${requested.text[0]}` }] }] : [],
      }];
    }
    const formats = weightFormats(files);
    const reports: RuleReport[] = [];
    if (formats.has('pickle') && !formats.has('safetensors') && !formats.has('onnx') && !formats.has('gguf')) {
      reports.push({ message: `'${info.value.canonicalId}' ships only pickle weights: loading them can run code from the repository. Prefer a model with safetensors weights.` });
    } else if (formats.has('pickle') && formats.has('safetensors') && loader.honoursUseSafetensors && reference.options.use_safetensors?.value !== true) {
      reports.push({
        message: `'${info.value.canonicalId}' has safetensors and pickle weights. Pass use_safetensors=True so the loader never falls back to pickle.`,
        fixes: [{ title: 'Add use_safetensors=True', preferred: true, edits: [{ span: { start: reference.argsEnd, end: reference.argsEnd }, newText: ', use_safetensors=True' }] }],
      });
    }
    return reports;
  },
};
