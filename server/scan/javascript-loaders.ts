// The JavaScript/TypeScript loaders: which packages, which call shapes, where the id and
// the revision sit. The scanner (javascript.ts) reads this table; adding a shape is an entry.

/** transformers.js, under its current and its former package name. */
export const TRANSFORMERS_JS = ['@huggingface/transformers', '@xenova/transformers'];
export const INFERENCE_JS = '@huggingface/inference';
export const HUB_JS = '@huggingface/hub';
export const JS_PACKAGES = [...TRANSFORMERS_JS, INFERENCE_JS, HUB_JS];

/** Cheap substring test: a file that names none of the packages is never parsed. */
export function mightLoadModelsJs(text: string): boolean {
  return text.includes('@huggingface/') || text.includes('@xenova/transformers');
}

export interface JsLoader {
  /** Reported loader name. */
  name: string;
  /** Where the id is: a positional argument, or a property of the object at `position`. */
  id: { position: number; property?: string };
  /** The options object (revision) when it is a separate argument; absent: the id's own object. */
  optionsPosition?: number;
  /** True when the library can pin a revision. */
  canPin: boolean;
  /** Only `owner/name` ids count (the call also takes other providers' model names). */
  ownerRequired?: boolean;
}

/** transformers.js `pipeline(task, model, { revision })`. */
export const PIPELINE: JsLoader = { name: 'transformers.js.pipeline', id: { position: 1 }, optionsPosition: 2, canPin: true };
/** transformers.js `AutoModel.from_pretrained(id, { revision })` and every other class of the package. */
export const FROM_PRETRAINED: JsLoader = { name: 'transformers.js.from_pretrained', id: { position: 0 }, optionsPosition: 1, canPin: true };
/** `@huggingface/inference` task calls: `client.textGeneration({ model, inputs })`; the Inference API takes no revision. */
export const INFERENCE_TASK: JsLoader = { name: 'huggingface.js.inference', id: { position: 0, property: 'model' }, canPin: false, ownerRequired: true };
/** `new InferenceClient(token, { model })`-style defaults and `client.endpoint(url)` on a Hub model URL. */
export const INFERENCE_ENDPOINT: JsLoader = { name: 'huggingface.js.inference', id: { position: 0 }, canPin: false, ownerRequired: true };

/** `@huggingface/hub` functions that read a model repository: `downloadFile({ repo, path, revision })`. */
export const HUB_FUNCTIONS = new Set(['downloadFile', 'downloadFileToCacheDir', 'snapshotDownload', 'listFiles', 'fileDownloadInfo', 'fileExists']);
export const HUB_FUNCTION: JsLoader = { name: 'huggingface.js.hub', id: { position: 0, property: 'repo' }, canPin: true };

/** Classes of `@huggingface/inference` whose instances call the Inference API. */
export const INFERENCE_CLASSES = new Set(['InferenceClient', 'HfInference', 'InferenceClientEndpoint', 'HfInferenceEndpoint']);
/** Hosted inference URLs that name a Hub model: the id follows `/models/`. */
export const INFERENCE_MODEL_URL = /^https:\/\/(?:api-inference\.huggingface\.co|router\.huggingface\.co\/hf-inference)\/models\/([\w.-]+\/[\w.-]+)\/?$/;
