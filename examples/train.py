"""Fine-tunes a sentiment classifier. An example workspace for PTM Lens."""
import argparse
import os

from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

BASE_MODEL = os.environ.get("BASE_MODEL", "distilbert/distilbert-base-uncased-finetuned-sst-2-english")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-name", default="bert-base-uncased")
    parser.add_argument("--output-dir", default="checkpoints")
    return parser.parse_args()


def main():
    args = parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.model_name)
    model = AutoModelForSequenceClassification.from_pretrained(args.model_name, num_labels=2)

    # The baseline we compare against.
    baseline = pipeline("sentiment-analysis", model=BASE_MODEL, revision="main")
    print(baseline("PTM Lens finds the models this script loads."))
    judge = AutoModelForSequenceClassification.from_pretrained("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
    print(judge.config.id2label)
    model.save_pretrained(args.output_dir)
    tokenizer.save_pretrained(args.output_dir)


if __name__ == "__main__":
    main()
