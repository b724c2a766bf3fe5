import type { Rule } from './rule';
import { describeModel } from './describe';
import { canOfferPin, isPinnedOrUnknown, pinRevisionFix, pinTarget } from './fixes/pin-revision';

export const trustRemoteCode: Rule = {
  code: 'PTM401',
  name: 'trust-remote-code',
  title: 'Model loaded with trust_remote_code=True',
  defaultSeverity: 'warning',
  scope: 'site',
  docs: {
    what: 'Flags loader calls that pass `trust_remote_code=True`.',
    why:
      'With `trust_remote_code=True` the loader downloads Python files from the model repository and runs them in your process, ' +
      'with your permissions. Whoever can push to that repository can run code on every machine that loads the model. ' +
      'If the revision is not pinned to a commit, that code can change at any time without you noticing.',
    example: 'model = AutoModel.from_pretrained("org/custom-model", trust_remote_code=True)',
    useInstead:
      '# Read the repository\'s code at a commit you reviewed, then pin that commit.\n' +
      'model = AutoModel.from_pretrained(\n    "org/custom-model",\n    trust_remote_code=True,\n    revision="3f2b9a1c4d5e6f708192a3b4c5d6e7f809a1b2c3",\n)',
    fixSafety:
      'The quick fix pins the revision alongside (to the commit in your local Hugging Face cache when there is one). ' +
      'It does not remove `trust_remote_code`: models with custom architectures need it. Review the remote code at the pinned commit.',
  },
  check(context) {
    const { reference, text } = context;
    const option = reference.options.trust_remote_code;
    if (!option?.resolved || option.value !== true) return [];
    const pinned = isPinnedOrUnknown(reference);
    const model = describeModel(reference);
    const message =
      `trust_remote_code=True runs Python code from ${model} in this process.` +
      (pinned ? ' Review that code at the pinned revision.' : ' Pin the revision to a reviewed commit so that code cannot change under you.');
    const fixes = pinned || !canOfferPin(reference) ? [] : [pinRevisionFix(reference, text, pinTarget(context))];
    return [{ message, span: option.span, fixes }];
  },
};
