import { tokenAdvice } from './describe';
import type { Rule } from './rule';

export const restrictedAccess: Rule = {
  code: 'PTM103',
  name: 'restricted-access',
  title: 'Gated, private or disabled model',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what: 'Flags models that not everyone can download: gated repositories (conditions to accept), private ones, and disabled ones.',
    why:
      'A gated or private model works on your machine, where you are logged in, and fails in CI, on a colleague\'s machine or in ' +
      'production. Gated models usually come with license conditions you accepted and must pass on. A disabled repository can no longer be downloaded at all.',
    example: 'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")',
    useInstead:
      '# Accept the conditions on the model page, then make a token available where the code runs\n' +
      '# (HF_TOKEN in CI, "PTM Lens: Set Hugging Face Token" in VS Code).\n' +
      'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf", token=os.environ["HF_TOKEN"])',
    fixSafety: 'No automatic fix: access is granted on the Hub.',
  },
  check({ reference, facts, surface }) {
    const info = facts?.info;
    if (!reference.modelId || !info) return [];
    const id = info.ok ? info.value.canonicalId : reference.modelId;
    if (info.ok && info.value.disabled) return [{ message: `'${id}' is disabled on the Hub and can no longer be downloaded. Replace it.` }];
    if (info.ok && info.value.gated) {
      return [{ message: `'${id}' is gated: every user must accept its conditions on the Hub page and use a token. Make sure CI and production have one.` }];
    }
    if (info.ok && info.value.private) return [{ message: `'${id}' is private: only accounts with access can download it. Make sure CI and production have a token.` }];
    if (!info.ok && info.error.kind === 'disabled') return [{ message: `'${id}' is disabled on the Hub and can no longer be downloaded. Replace it.` }];
    // Our own words rather than the Hub client's error text, so the advice fits the surface.
    if (!info.ok && info.error.kind === 'gated') {
      return [{ message: `'${id}' is gated: accept its conditions on the model's Hub page, then ${tokenAdvice(surface)} (a token of an account with access).` }];
    }
    if (!info.ok && info.error.kind === 'private') {
      return [{ message: `'${id}' needs authorization (private, or no access with the current token): ${tokenAdvice(surface)} (a token of an account with access).` }];
    }
    return [];
  },
};
