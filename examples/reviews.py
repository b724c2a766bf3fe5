"""Scores customer reviews with an off-the-shelf sentiment model."""
from transformers import AutoModelForSequenceClassification, AutoTokenizer

SENTIMENT_MODEL = "textminer/roberta-large-imdb-sentiment"
SENTIMENT_REVISION = "5e1f0a9d3c7b2e4f6a8b0c1d2e3f4a5b6c7d8e9f"

tokenizer = AutoTokenizer.from_pretrained(SENTIMENT_MODEL, revision=SENTIMENT_REVISION)
model = AutoModelForSequenceClassification.from_pretrained(SENTIMENT_MODEL, revision=SENTIMENT_REVISION)


def score(review: str) -> float:
    inputs = tokenizer(review, return_tensors="pt", truncation=True)
    logits = model(**inputs).logits
    return logits.softmax(-1)[0, 1].item()
