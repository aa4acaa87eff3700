"""Builds the demo organisation's dataset repository with the real DVC.

    make_dvc_repo.py '{"dir": ".llmops-demo/datasets", "remote": ".llmops-demo/dvc-remote"}'

One git repository (origin https://git.example.com/ml/datasets.git, as the
example Datasets name it) whose datasets DVC tracks, pushed to a local
remote. Each version is a commit dated as examples/datasets.yaml dates it,
tagged the way GTO (iterative's Git Tag Ops) registers artifact versions:
`<dataset>@<version>`. The files are generated from fixed seeds, so their
md5s, sizes and counts are the same on every machine and match the
catalog. Idempotent: an existing repository with every tag is kept.
Prints each version's md5, size and file count as one JSON line.
"""

import json
import os
import random
import subprocess
import sys

ORIGIN = "https://git.example.com/ml/datasets.git"

# (dataset, DVC path, version, date, files, rows per file, record maker)
VERSIONS = [
    ("web-corpus-en", "data/web-corpus-en", "v1", "2026-06-01T09:00:00Z", 8, 400, "text"),
    ("product-docs-qa", "data/product-docs-qa", "v1", "2026-08-02T11:00:00Z", 3, 300, "qa"),
    ("support-tickets-sft", "data/support-tickets-sft", "v2", "2026-09-14T16:30:00Z", 12, 250, "sft"),
    ("ticket-pairs", "data/ticket-pairs.jsonl", "v1", "2026-09-20T10:00:00Z", 1, 1500, "pair"),
    ("product-docs-qa", "data/product-docs-qa", "v2", "2026-10-11T14:00:00Z", 4, 300, "qa"),
    ("support-tickets-sft", "data/support-tickets-sft", "v3", "2026-10-28T17:00:00Z", 14, 250, "sft"),
    ("support-preferences", "data/support-preferences.jsonl", "v1", "2026-11-10T12:00:00Z", 1, 1200, "preference"),
]

PRODUCTS = ["billing", "login", "export", "dashboards", "alerts", "api keys", "sso", "webhooks"]
VERBS = ["fails", "is slow", "shows an error", "times out", "returns nothing", "asks again"]


def record(kind, rng, i):
    product = rng.choice(PRODUCTS)
    verb = rng.choice(VERBS)
    ticket = "When I open %s it %s (ticket %d)." % (product, verb, i)
    if kind == "text":
        words = [rng.choice(PRODUCTS + VERBS) for _ in range(rng.randint(20, 60))]
        return {"id": i, "text": " ".join(words)}
    if kind == "sft":
        return {
            "instruction": ticket,
            "response": "Sorry about %s. Please clear the cache and retry; if it still %s, reply here." % (product, verb),
        }
    if kind == "qa":
        return {
            "question": "How do I configure %s?" % product,
            "context": "docs/%s.md#setup" % product.replace(" ", "-"),
            "answer": "Open Settings, then %s, and follow the setup steps." % product,
        }
    if kind == "preference":
        return {
            "prompt": ticket,
            "chosen": "Thanks for reporting it. Here is what fixes %s: ..." % product,
            "rejected": "Works for me.",
        }
    return {"anchor": ticket, "positive": "%s %s" % (product, verb), "negative": rng.choice(PRODUCTS)}


def write_version(root, dataset, path, version, files, rows, kind):
    target = os.path.join(root, path)
    # A new version replaces the old files.
    if os.path.isdir(target):
        for name in os.listdir(target):
            os.remove(os.path.join(target, name))
    is_dir = not path.endswith(".jsonl")
    if is_dir:
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    for f in range(files):
        rng = random.Random("%s/%s/%d" % (dataset, version, f))
        name = os.path.join(target, "part-%05d.jsonl" % f) if is_dir else target
        with open(name, "w", newline="\n") as out:
            for i in range(rows):
                out.write(json.dumps(record(kind, rng, f * rows + i), sort_keys=True) + "\n")


def run(args, cwd, env=None):
    subprocess.run(args, cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL)


def main():
    arg = json.loads(sys.argv[1])
    root = os.path.abspath(arg["dir"])
    remote = os.path.abspath(arg["remote"])
    dvc = arg.get("dvc", "dvc")
    tags = ["%s@%s" % (d, v) for d, _, v, *_ in VERSIONS]
    if os.path.isdir(os.path.join(root, ".dvc")):
        have = subprocess.run(["git", "tag"], cwd=root, capture_output=True, text=True).stdout.split()
        if all(t in have for t in tags):
            print(json.dumps({"dir": root, "created": False}))
            return
        raise SystemExit("%s is a DVC repository without the demo's tags; remove it to rebuild" % root)
    os.makedirs(root, exist_ok=True)
    git_env = dict(
        os.environ,
        GIT_AUTHOR_NAME="ML Platform",
        GIT_AUTHOR_EMAIL="ml-platform@example.com",
        GIT_COMMITTER_NAME="ML Platform",
        GIT_COMMITTER_EMAIL="ml-platform@example.com",
    )
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "remote", "add", "origin", ORIGIN], root)
    run([dvc, "init", "-q"], root)
    run([dvc, "config", "core.analytics", "false"], root)
    run([dvc, "remote", "add", "-d", "store", remote], root)
    env = dict(git_env, GIT_AUTHOR_DATE="2026-05-01T09:00:00Z", GIT_COMMITTER_DATE="2026-05-01T09:00:00Z")
    run(["git", "add", "-A"], root)
    run(["git", "commit", "-q", "-m", "Initialize DVC"], root, env)
    result = []
    for dataset, path, version, date, files, rows, kind in VERSIONS:
        write_version(root, dataset, path, version, files, rows, kind)
        run([dvc, "add", "-q", path], root)
        env = dict(git_env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        run(["git", "add", "-A"], root)
        run(["git", "commit", "-q", "-m", "%s %s" % (dataset, version)], root, env)
        run(["git", "tag", "-a", "%s@%s" % (dataset, version), "-m", "Register %s %s" % (dataset, version)], root, env)
        with open(os.path.join(root, path + ".dvc")) as f:
            result.append({"dataset": dataset, "version": version, "dvc": f.read()})
    # Every version's objects, from the cache to the remote.
    run([dvc, "push", "-q", "--all-tags"], root)
    print(json.dumps({"dir": root, "created": True, "versions": result}))


if __name__ == "__main__":
    main()
