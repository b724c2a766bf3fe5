// Whether a value a config or a command line gives for a model key is a Hub model id. Kept
// apart from the config scanner so the shell scanner can ask without loading the YAML parser.
// A false error is the worst outcome: only the Hub's `owner/name` shape counts, never paths,
// file names, checkpoint folders or other providers' model names (`openai/gpt-4o` under `model`).
import { classifyModelId } from './hub-id';

/** The shape of a Hub model id; bare names (`gpt2`) are too ambiguous in a config. */
const OWNER_NAME = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;
/** Values that end like a file are files. */
const FILE_SUFFIX = /\.(?:json|jsonl|ya?ml|toml|txt|csv|parquet|bin|pt|pth|ckpt|safetensors|gguf|ggml|onnx|h5|msgpack|model|py|sh|zip|tar|gz)$/i;
/**
 * Under a plain `model` key, names of other services' models (LiteLLM, LangChain, promptfoo
 * configs): a provider prefix, or OpenAI's API model names (`openai/whisper-large-v3` is a
 * Hub model, `openai/gpt-4o` is not).
 */
const PROVIDER_OWNERS = new Set([
  'anthropic', 'azure', 'azure_ai', 'bedrock', 'bedrock_converse', 'vertex_ai', 'vertex_ai_beta', 'gemini', 'groq', 'ollama', 'ollama_chat',
  'mistral', 'cohere', 'cohere_chat', 'together_ai', 'deepseek', 'fireworks_ai', 'perplexity', 'replicate', 'sagemaker', 'openrouter', 'xai',
  'cerebras', 'databricks', 'watsonx', 'huggingface', 'hosted_vllm', 'vllm', 'lm_studio', 'text-completion-openai', 'anyscale', 'deepinfra',
  'nvidia_nim', 'cloudflare', 'ai21', 'voyage', 'jina_ai', 'friendliai', 'github', 'codestral', 'litellm_proxy', 'custom_openai', 'azure_openai', 'google', 'aws',
]);
const OPENAI_API_MODEL = /^(?:gpt-[345](?:\.\d+)?(?:o|-|$)|gpt-4o|o[1-9](?:-|$)|chatgpt|dall-e|text-(?:embedding|davinci|moderation)|tts-1|whisper-1$|davinci|babbage|omni-moderation)/i;
/** Folder names configs put checkpoints in: `models/Llama-2-7b` is a local folder made by a script. */
const LOCAL_FOLDERS = /^(?:models?|checkpoints?|ckpts?|outputs?|saves?|saved_models?|weights|pretrained|runs|exp|experiments|results|cache|tmp|data|local|assets|artifacts)$/i;

/** True when a config value names a Hub model for this key. */
export function looksLikeHubId(key: string, value: string, isLocalPath?: (path: string) => boolean): boolean {
  if (!OWNER_NAME.test(value) || FILE_SUFFIX.test(value) || value.includes('..') || LOCAL_FOLDERS.test(value.split('/')[0])) return false;
  if (key === 'model') {
    const [owner, name] = value.split('/');
    if (PROVIDER_OWNERS.has(owner.toLowerCase()) || (owner.toLowerCase() === 'openai' && OPENAI_API_MODEL.test(name))) return false;
  }
  return classifyModelId(value, isLocalPath).kind === 'hub';
}
