"""Seeds an MLflow server with the demo organisation's training history.

    seed_mlflow.py '{"uri": "http://127.0.0.1:5000", "runs": 8, "steps": 60}'

Four experiments, one per fine-tuned Model of examples/models.yaml, each with
runs that log metric histories, tagged as the portal's own training jobs tag
them (llmops.artifact_name, llmops.job_type, ...), and the registered models
with the versions and aliases the catalog names. Deterministic, and
idempotent: a second run finds the seeded experiments and changes nothing.
Prints what it did as one JSON line.
"""

import json
import math
import random
import sys
import time

from mlflow import MlflowClient
from mlflow.entities import Metric, Param

# name -> what the example catalog says about it (examples/models.yaml)
MODELS = [
    {
        "experiment": "support-assistant-sft",
        "model": "support-assistant",
        "description": "Answers customer support tickets. Llama 3 8B, LoRA SFT.",
        "job_type": "SFT",
        "base_model": "model:default/llama-3-8b",
        "dataset": ("dataset:default/support-tickets-sft", "v3"),
        "method": "lora",
        "metrics": ["loss", "eval_loss", "learning_rate"],
        "versions": 4,
        "aliases": {"champion": 3, "challenger": 4},
    },
    {
        "experiment": "docs-rag-tuning",
        "model": "docs-rag",
        "description": "Answers questions over the product docs. Mistral 7B.",
        "job_type": "RAG_TUNING",
        "base_model": "model:default/mistral-7b",
        "dataset": ("dataset:default/product-docs-qa", "v2"),
        "method": "qlora",
        "metrics": ["loss", "eval_loss", "recall_at_5"],
        "versions": 2,
        "aliases": {"champion": 2},
    },
    {
        "experiment": "tone-rlhf",
        "model": "tone-aligned",
        "description": "The support assistant, aligned on reply preferences (RLHF).",
        "job_type": "RLHF",
        "base_model": "model:default/support-assistant-llama-3-8b",
        "dataset": ("dataset:default/support-preferences", "v1"),
        "method": "lora",
        "metrics": ["reward", "kl", "loss"],
        "versions": 1,
        "aliases": {"challenger": 1},
    },
    {
        "experiment": "ticket-embedder",
        "model": "ticket-embedder",
        "description": "Embeds tickets for duplicate search. BERT base.",
        "job_type": "EMBEDDING",
        "base_model": "model:default/bert-base-uncased",
        "dataset": ("dataset:default/ticket-pairs", "v1"),
        "method": "full",
        "metrics": ["loss", "recall_at_10"],
        "versions": 5,
        "aliases": {"champion": 5},
    },
]

# The first run of the demo started on this day; each later one a day on.
EPOCH_MS = 1_790_000_000_000  # 2026-09-21


def curve(metric, step, steps, run_index, rng):
    """A plausible training curve: losses fall, rewards and recall rise."""
    t = step / max(steps - 1, 1)
    noise = rng.gauss(0, 0.015)
    if metric == "learning_rate":
        warmup = min(1.0, step / max(steps * 0.1, 1))
        # cosine decay to a tenth of the peak
        return 2e-4 * warmup * (0.1 + 0.45 * (1 + math.cos(math.pi * t)))
    if metric in ("loss", "eval_loss"):
        floor = 0.42 - 0.02 * run_index + (0.08 if metric == "eval_loss" else 0)
        return max(0.05, floor + 1.9 * math.exp(-6 * t) + noise)
    if metric == "kl":
        return max(0.0, 0.02 + 0.12 * t + noise / 4)
    if metric == "reward":
        return -0.6 + (1.4 + 0.05 * run_index) * (1 - math.exp(-4 * t)) + noise
    # recall_at_k
    return min(0.99, 0.35 + (0.5 + 0.02 * run_index) * (1 - math.exp(-5 * t)) + noise / 2)


def seed_model(client, spec, runs, steps):
    rng = random.Random(spec["model"])
    experiment = client.get_experiment_by_name(spec["experiment"])
    if experiment is not None:
        runs = client.search_runs(
            [experiment.experiment_id], order_by=["attributes.start_time ASC"]
        )
        return {
            "experiment": spec["experiment"],
            "experimentId": experiment.experiment_id,
            "runIds": [r.info.run_id for r in runs],
            "seeded": False,
        }
    experiment_id = client.create_experiment(
        spec["experiment"],
        # Where the training code would write the weights; the registry's
        # versions point there (the demo writes no artifacts).
        artifact_location="s3://acme-ml-artifacts/%s" % spec["experiment"],
        tags={"llmops.artifact_name": spec["model"]},
    )
    # The e2e tests count the first model's runs; the others keep it short.
    n = max(runs if spec is MODELS[0] else 4, spec["versions"])
    run_ids = []
    for i in range(n):
        start = EPOCH_MS + i * 86_400_000 + rng.randrange(3_600_000)
        lr = 1e-4 * (1 + i % 3)
        run = client.create_run(
            experiment_id,
            run_name="%s-%03d" % (spec["experiment"], i + 1),
            start_time=start,
            tags={
                "llmops.artifact_name": spec["model"],
                "llmops.job_type": spec["job_type"],
                "llmops.base_model": spec["base_model"],
                "llmops.dataset": spec["dataset"][0],
                "llmops.dataset_version": spec["dataset"][1],
                "llmops.owner": "group:default/nlp"
                if spec["job_type"] in ("SFT", "RLHF")
                else "group:default/search",
            },
        )
        run_id = run.info.run_id
        metrics = []
        for step in range(steps):
            at = start + step * 30_000
            for key in spec["metrics"]:
                if key == "eval_loss" and step % 5:
                    continue
                metrics.append(Metric(key, curve(key, step, steps, i, rng), at, step))
        params = [
            Param("learning_rate", "%g" % lr),
            Param("method", spec["method"]),
            Param("num_epochs", str(2 + i % 2)),
            Param("batch_size", "16"),
            Param("max_seq_len", "4096" if spec["job_type"] != "EMBEDDING" else "512"),
        ]
        if spec["method"] in ("lora", "qlora"):
            params += [Param("lora_r", str(8 * (1 + i % 2))), Param("lora_alpha", "32")]
        # log_batch takes at most 1000 metrics a call
        for chunk in range(0, len(metrics), 1000):
            client.log_batch(
                run_id,
                metrics=metrics[chunk : chunk + 1000],
                params=params if chunk == 0 else [],
            )
        client.set_terminated(run_id, end_time=start + steps * 30_000)
        run_ids.append(run_id)

    client.create_registered_model(
        spec["model"],
        description=spec["description"],
        tags={"llmops.job_type": spec["job_type"]},
    )
    # The newest runs became the registered versions, oldest first.
    for run_id in run_ids[-spec["versions"] :]:
        run = client.get_run(run_id)
        client.create_model_version(
            spec["model"],
            "%s/model" % run.info.artifact_uri,
            run_id,
            tags={"llmops.dataset_version": spec["dataset"][1]},
        )
    for alias, version in spec["aliases"].items():
        client.set_registered_model_alias(spec["model"], alias, str(version))
    return {
        "experiment": spec["experiment"],
        "experimentId": experiment_id,
        "runIds": run_ids,
        "seeded": True,
    }


def main():
    arg = json.loads(sys.argv[1])
    client = MlflowClient(tracking_uri=arg["uri"], registry_uri=arg["uri"])
    started = time.time()
    results = [
        seed_model(client, spec, arg.get("runs", 8), arg.get("steps", 60))
        for spec in MODELS
    ]
    print(
        json.dumps(
            {
                "experiments": results,
                "seconds": round(time.time() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
