// Loader registry entries for libraries beyond transformers, diffusers, sentence-transformers,
// peft and huggingface_hub's downloads: vision model zoos, LLM runtimes, NER toolkits,
// inference clients and the LangChain / LlamaIndex wrappers. Each entry names where its
// call shape was checked. Spliced into LOADERS (loaders.ts) after the core entries.
import type { IdPrefixRule, LoaderSpec } from './loaders';
import { SENTENCE_TRANSFORMERS_PLAIN_IDS } from './sentence-transformers-ids';

const PIN = 'revision';

/** Libraries that hand the id to sentence-transformers, which prefixes bare names. */
const ST_PREFIX: IdPrefixRule = { namespace: 'sentence-transformers', except: SENTENCE_TRANSFORMERS_PLAIN_IDS };

/** timm and open_clip name Hub models `hf-hub:org/name` (timm also `hf_hub:`); an `@rev` suffix is a revision. */
const TIMM_HUB = /^hf[-_]hub:([^@]+)(?:@.*)?$/;
const OPEN_CLIP_HUB = /^hf-hub:([^@]+)(?:@.*)?$/;
/** keras-hub / keras-nlp presets: only `hf://org/name` is a Hub model (plain names and kaggle:// are not). */
const KERAS_HUB = /^hf:\/\/(.+)$/;
/** flair: `org/name` is a Hub model; short names ("ner", "de-pos") are flair's own, paths end in .pt. */
const FLAIR_HUB = /^(?!.*\.(?:pt|pth|bin|ckpt)$)([\w.-]+\/[\w.-]+)$/;
/** flair model classes whose `load` takes a Hub id. */
const FLAIR_MODELS = /(^|\.)(SequenceTagger|TextClassifier|Classifier|TARSClassifier|TARSTagger|RelationClassifier|RelationExtractor|EntityLinker|SpanClassifier|TextRegressor|TextPairClassifier|TextPairRegressor|MultitaskModel|WordTagger|TokenClassifier|PrefixedSequenceTagger)$/;

/** TRL trainers whose first argument (`model`) may be a Hub id. */
const TRL_TRAINERS = ['SFTTrainer', 'GRPOTrainer', 'DPOTrainer', 'ORPOTrainer', 'KTOTrainer', 'CPOTrainer', 'RewardTrainer', 'RLOOTrainer', 'OnlineDPOTrainer', 'GKDTrainer', 'BCOTrainer', 'PRMTrainer', 'XPOTrainer', 'NashMDTrainer'];

const functionIn = (libraries: readonly string[], entry: Omit<Extract<LoaderSpec, { kind: 'function' }>, 'kind' | 'library'>): LoaderSpec[] =>
  libraries.map((library) => ({ kind: 'function', library, ...entry }));

export function MORE_LOADERS(): LoaderSpec[] {
  return [
    // --- vision model zoos ---
    ...functionIn(['timm'], {
      name: 'timm.create_model',
      function: 'create_model',
      id: { position: 0, keywords: ['model_name'] },
      idPattern: TIMM_HUB,
      source: 'timm/models/_factory.py create_model(model_name, pretrained=False, ...); _hub.py splits "@revision"',
    }),
    ...['create_model_and_transforms', 'create_model', 'create_model_from_pretrained'].flatMap((fn) =>
      functionIn(['open_clip'], {
        name: `open_clip.${fn}`,
        function: fn,
        id: { position: 0, keywords: ['model_name'] },
        idPattern: OPEN_CLIP_HUB,
        source: 'open_clip/factory.py HF_HUB_PREFIX = "hf-hub:"; create_model*(model_name, pretrained=None, ...)',
      }),
    ),
    ...functionIn(['open_clip'], {
      name: 'open_clip.get_tokenizer',
      function: 'get_tokenizer',
      id: { position: 0, keywords: ['model_name'] },
      idPattern: OPEN_CLIP_HUB,
      weights: false,
      source: 'open_clip/factory.py get_tokenizer(model_name, ...)',
    }),
    {
      // ControlNet annotators: weights fetched from a Hub repository, no revision argument.
      kind: 'method',
      name: 'controlnet_aux.from_pretrained',
      method: 'from_pretrained',
      libraries: ['controlnet_aux'],
      id: { position: 0, keywords: ['pretrained_model_or_path'] },
      source: 'controlnet_aux/hed/__init__.py HEDdetector.from_pretrained(pretrained_model_or_path, filename=None, cache_dir=None)',
    },
    // --- diffusers: single files and adapters loaded into a pipeline ---
    {
      kind: 'method',
      name: 'diffusers.from_single_file',
      method: 'from_single_file',
      libraries: ['diffusers'],
      id: { position: 0, keywords: ['pretrained_model_link_or_path'] },
      revisionKeyword: PIN,
      source: 'diffusers/loaders/single_file.py from_single_file(pretrained_model_link_or_path, **kwargs) (revision in kwargs)',
    },
    ...['load_lora_weights', 'load_ip_adapter'].map(
      (method): LoaderSpec => ({
        kind: 'method',
        name: `diffusers.${method}`,
        method,
        libraries: ['diffusers'],
        id: { position: 0, keywords: ['pretrained_model_name_or_path_or_dict', 'pretrained_model_name_or_path'] },
        revisionKeyword: PIN,
        source: `diffusers/loaders ${method}(pretrained_model_name_or_path_or_dict, ..., **kwargs) (revision, weight_name in kwargs)`,
      }),
    ),
    {
      kind: 'method',
      name: 'diffusers.load_textual_inversion',
      method: 'load_textual_inversion',
      libraries: ['diffusers'],
      id: { position: 0, keywords: ['pretrained_model_name_or_path'] },
      revisionKeyword: PIN,
      source: 'diffusers/loaders/textual_inversion.py load_textual_inversion(pretrained_model_name_or_path, token=None, ...)',
    },
    // --- LLM runtimes ---
    ...functionIn(['vllm'], {
      name: 'vllm.LLM',
      function: 'LLM',
      id: { position: 0, keywords: ['model'] },
      revisionKeyword: PIN,
      hint: 'vllm',
      source: 'vllm/entrypoints/llm.py LLM(model, tokenizer=None, ..., trust_remote_code=False, ..., revision=None)',
    }),
    ...functionIn(['mlx_lm'], {
      // No revision argument on load() in the releases checked: not offered as pinnable.
      name: 'mlx_lm.load',
      function: 'load',
      id: { position: 0, keywords: ['path_or_hf_repo'] },
      pickle: false,
      hint: 'mlx_lm',
      source: 'mlx_lm/utils.py load(path_or_hf_repo, tokenizer_config={}, model_config={}, adapter_path=None, lazy=False)',
    }),
    // --- Keras ---
    {
      kind: 'method',
      name: 'keras_hub.from_preset',
      method: 'from_preset',
      libraries: ['keras_hub', 'keras_nlp', 'keras_cv'],
      id: { position: 0, keywords: ['preset'] },
      idPattern: KERAS_HUB,
      pickle: false,
      source: 'keras_hub/src/models/backbone.py from_preset(preset, load_weights=True, **kwargs); hf:// handle scheme',
    },
    ...functionIn(['huggingface_hub'], {
      name: 'huggingface_hub.from_pretrained_keras',
      function: 'from_pretrained_keras',
      id: { position: 0, keywords: ['pretrained_model_name_or_path'] },
      revisionKeyword: PIN,
      pickle: false,
      source: 'huggingface_hub/keras_mixin.py from_pretrained_keras(*args, **kwargs) -> KerasModelHubMixin.from_pretrained',
    }),
    // --- fastai: a Learner is a pickle ---
    ...functionIn(['huggingface_hub'], {
      name: 'huggingface_hub.from_pretrained_fastai',
      function: 'from_pretrained_fastai',
      id: { position: 0, keywords: ['repo_id'] },
      revisionKeyword: PIN,
      source: 'huggingface_hub/fastai_utils.py from_pretrained_fastai(repo_id, revision=None)',
    }),
    // --- NER and classification toolkits ---
    {
      kind: 'method',
      name: 'flair.load',
      method: 'load',
      libraries: ['flair'],
      receiver: FLAIR_MODELS,
      id: { position: 0, keywords: ['model_path'] },
      idPattern: FLAIR_HUB,
      hint: 'flair',
      source: 'flair/nn/model.py Model.load(model_path); short names resolve through flair\'s own table',
    },
    // --- inference clients: the model runs remotely, no weights are read here ---
    ...['InferenceClient', 'AsyncInferenceClient'].flatMap((fn) =>
      functionIn(['huggingface_hub'], {
        name: `huggingface_hub.${fn}`,
        function: fn,
        id: { position: 0, keywords: ['model'] },
        weights: false,
        source: 'huggingface_hub/inference/_client.py InferenceClient(model=None, *, provider=None, token=None, ...)',
      }),
    ),
    // --- huggingface_hub through an HfApi object ---
    ...['hf_hub_download', 'snapshot_download'].map(
      (method): LoaderSpec => ({
        kind: 'method',
        name: `huggingface_hub.HfApi.${method}`,
        method,
        libraries: ['huggingface_hub'],
        id: { position: 0, keywords: ['repo_id'] },
        ...(method === 'hf_hub_download' ? { positionalOptions: { filename: 1, subfolder: 2 } } : {}),
        revisionKeyword: PIN,
        repoTypeKeyword: 'repo_type',
        source: `huggingface_hub/hf_api.py HfApi.${method}(repo_id, ...)`,
      }),
    ),
    {
      kind: 'method',
      name: 'huggingface_hub.HfApi.model_info',
      method: 'model_info',
      libraries: ['huggingface_hub'],
      id: { position: 0, keywords: ['repo_id'] },
      revisionKeyword: PIN,
      weights: false,
      source: 'huggingface_hub/hf_api.py HfApi.model_info(repo_id, *, revision=None, ...)',
    },
    // --- sentence-transformers modules built from a transformers checkpoint ---
    ...functionIn(['sentence_transformers'], {
      // Hands the id to transformers' Auto classes as written (no sentence-transformers prefix);
      // a revision goes in model_args / config_args, so the call itself cannot pin.
      name: 'sentence_transformers.models.Transformer',
      function: 'Transformer',
      id: { position: 0, keywords: ['model_name_or_path'] },
      source: 'sentence_transformers/models/Transformer.py Transformer(model_name_or_path, max_seq_length=None, model_args=None, ...)',
    }),
    // --- TRL trainers: a string `model` is loaded with from_pretrained inside the trainer ---
    ...TRL_TRAINERS.flatMap((fn) =>
      functionIn(['trl'], {
        // The revision goes in args.model_init_kwargs, not in the call: not offered as pinnable.
        name: `trl.${fn}`,
        function: fn,
        id: { position: 0, keywords: ['model'] },
        source: `trl/trainer ${fn}(model: str | PreTrainedModel, ...) loads a string with AutoModelForCausalLM.from_pretrained`,
      }),
    ),
    // --- distilabel LLMs ---
    ...functionIn(['distilabel'], {
      name: 'distilabel.TransformersLLM',
      function: 'TransformersLLM',
      id: { position: -1, keywords: ['model'] },
      revisionKeyword: PIN,
      source: 'distilabel/models/llms/huggingface/transformers.py TransformersLLM(model=..., revision="main", ...) -> transformers.pipeline',
    }),
    ...functionIn(['distilabel'], {
      name: 'distilabel.InferenceEndpointsLLM',
      function: 'InferenceEndpointsLLM',
      id: { position: -1, keywords: ['model_id'] },
      weights: false,
      source: 'distilabel/models/llms/huggingface/inference_endpoints.py InferenceEndpointsLLM(model_id=... | endpoint_name=... | base_url=...)',
    }),
    // --- LangChain and LlamaIndex wrappers ---
    ...functionIn(['langchain_huggingface', 'langchain_community', 'langchain'], {
      // Hands model_name to sentence_transformers.SentenceTransformer: bare names get its prefix.
      name: 'langchain.HuggingFaceEmbeddings',
      function: 'HuggingFaceEmbeddings',
      id: { position: -1, keywords: ['model_name'] },
      idPrefix: ST_PREFIX,
      source: 'langchain_huggingface/embeddings/huggingface.py HuggingFaceEmbeddings(model_name=...) (pydantic, keywords only)',
    }),
    ...functionIn(['langchain_community', 'langchain'], {
      name: 'langchain.HuggingFaceBgeEmbeddings',
      function: 'HuggingFaceBgeEmbeddings',
      id: { position: -1, keywords: ['model_name'] },
      idPrefix: ST_PREFIX,
      source: 'langchain_community/embeddings/huggingface.py HuggingFaceBgeEmbeddings(model_name=...)',
    }),
    {
      kind: 'method',
      name: 'langchain.HuggingFacePipeline.from_model_id',
      method: 'from_model_id',
      libraries: ['langchain_huggingface', 'langchain_community', 'langchain'],
      receiver: /(^|\.)HuggingFacePipeline$/,
      id: { position: 0, keywords: ['model_id'] },
      source: 'langchain_huggingface/llms/huggingface_pipeline.py HuggingFacePipeline.from_model_id(model_id, task, ...)',
    },
    ...functionIn(['langchain_huggingface', 'langchain_community'], {
      name: 'langchain.HuggingFaceEndpoint',
      function: 'HuggingFaceEndpoint',
      id: { position: -1, keywords: ['repo_id', 'model'] },
      weights: false,
      source: 'langchain_huggingface/llms/huggingface_endpoint.py HuggingFaceEndpoint(repo_id=... | endpoint_url=...)',
    }),
    ...functionIn(['llama_index'], {
      name: 'llama_index.HuggingFaceEmbedding',
      function: 'HuggingFaceEmbedding',
      id: { position: 0, keywords: ['model_name'] },
      idPrefix: ST_PREFIX,
      source: 'llama_index/embeddings/huggingface/base.py HuggingFaceEmbedding(model_name=..., ...) -> SentenceTransformer',
    }),
    ...functionIn(['llama_index'], {
      name: 'llama_index.HuggingFaceLLM',
      function: 'HuggingFaceLLM',
      id: { position: -1, keywords: ['model_name'] },
      source: 'llama_index/llms/huggingface/base.py HuggingFaceLLM(model_name=..., tokenizer_name=...)',
    }),
  ];
}
