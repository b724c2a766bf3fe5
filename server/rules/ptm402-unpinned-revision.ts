import type { Rule } from './rule';
import { capitalize, describeModel, describeRevision } from './describe';
import { canOfferPin, isPinnedOrUnknown, pinRevisionFix, pinTarget } from './fixes/pin-revision';

export const unpinnedRevision: Rule = {
  code: 'PTM402',
  name: 'unpinned-revision',
  title: 'Model revision not pinned to a commit',
  defaultSeverity: 'warning',
  scope: 'site',
  docs: {
    what:
      'Flags model loads that do not pass `revision=` with a commit sha (7 to 40 hexadecimal digits). A branch such as `"main"` ' +
      'or a tag is not a pin. Loaders that have no way to pin a revision are not flagged, nor are calls that download nothing: ' +
      'a model object, a path expression (`Path(...)`, `os.path.join(...)`, a glob, an f-string of folders, a temporary folder), ' +
      'a folder the same file saves a model to (`save_pretrained`, `output_dir=`), or a name that reads ' +
      'as a path (`*_path`, `*_dir`, `ckpt*`; `model_name_or_path` stays an id by Hugging Face convention). When the id is decided ' +
      'at run time (a parameter, an attribute, the environment), the finding has the severity of `unresolved-id-severity` ' +
      '(default info).',
    why:
      'Without a pinned commit, every run downloads whatever the repository holds today. The owner (or anyone who takes over the ' +
      'account) can replace the weights, the tokenizer or remote code, and your results change or your machine runs new code ' +
      'without a change in your repository. Pinning makes model downloads as reproducible and reviewable as locked package versions. ' +
      'Bandit checks the same policy as B615.',
    example: 'model = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    useInstead: 'model = AutoModel.from_pretrained(\n    "google-bert/bert-base-uncased",\n    revision="86b5e0934494bd15c9632b12f734a8a67f723594",\n)',
    fixSafety:
      'When your local Hugging Face cache holds the model, the fix pins the commit it holds (what you already run), which is safe. ' +
      'Otherwise it inserts `revision="..."` for you to fill in with the commit you have reviewed. The fix is offered only where ' +
      'the id is fixed in code (a literal or a constant): an id from argparse, the environment, a dataclass default or a parameter ' +
      'takes other values at run time, which one pinned commit would break.',
  },
  check(context) {
    const { reference, text } = context;
    if (!reference.canPin || isPinnedOrUnknown(reference) || reference.likelyPath) return [];
    const model = capitalize(describeModel(reference));
    const message = reference.revision
      ? `${model} is loaded at revision ${describeRevision(reference.revision)}, a branch or tag that can move. Pin a commit sha instead.`
      : `${model} is loaded without a pinned revision: every download takes whatever the repository holds now. Pass revision="<commit sha>".`;
    const fixes = canOfferPin(reference) ? [pinRevisionFix(reference, text, pinTarget(context))] : [];
    return [{ message, span: reference.revision?.span, fixes, ...(reference.modelId ? {} : { severity: context.unresolvedIdSeverity }) }];
  },
};
