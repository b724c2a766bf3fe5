"""A small service that embeds and generates text."""
from huggingface_hub import hf_hub_download
from sentence_transformers import SentenceTransformer
from transformers import AutoModelForCausalLM

EMBEDDER = "sentence-transformers/all-MiniLM-L6-v2"
PINNED = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"

embedder = SentenceTransformer(EMBEDDER, revision=PINNED)

generator = AutoModelForCausalLM.from_pretrained(
    "microsoft/phi-2",
    trust_remote_code=True,
)

weights = hf_hub_download(repo_id="openai-community/gpt2", filename="model.safetensors")

# Reviewed and accepted: this demo model follows main on purpose.
tiny = AutoModelForCausalLM.from_pretrained("gpt2")  # ptm-lens: ignore[PTM402]
