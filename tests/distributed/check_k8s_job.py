#!/usr/bin/env python3
"""check_k8s_job.py MRV_BINARY: examples/distributed/k8s-indexed-job.yaml is a
valid Indexed Job whose pods, together, give exactly one `mrv verify` run.

No Kubernetes runs here: Debian packages kubectl (kubernetes-client), but its
client-side dry run needs an API server for the resource schemas, and Debian
packages neither an API server nor an offline schema validator (kubeconform,
kubeval). So the test checks what the recipe relies on, field by field, and
then runs each pod's shell script as Kubernetes would (sh -c, with
JOB_COMPLETION_INDEX = 0..N-1, the inputs as the working folder, /results a
scratch folder) and compares the union of the shards with one run.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
RECIPE = os.path.join(ROOT, "examples", "distributed", "k8s-indexed-job.yaml")
INPUTS = os.path.join(ROOT, "examples", "batch")


def check_fields(job, problems):
    def need(condition, what):
        if not condition:
            problems.append(what)

    need(job.get("apiVersion") == "batch/v1", "apiVersion must be batch/v1")
    need(job.get("kind") == "Job", "kind must be Job")
    need(bool(job.get("metadata", {}).get("name")), "metadata.name is required")
    spec = job.get("spec", {})
    need(spec.get("completionMode") == "Indexed", "spec.completionMode must be Indexed")
    completions = spec.get("completions")
    need(isinstance(completions, int) and completions > 0, "spec.completions: a positive integer")
    need(spec.get("parallelism", completions) <= completions, "parallelism above completions")
    pod = spec.get("template", {}).get("spec", {})
    need(pod.get("restartPolicy") in ("Never", "OnFailure"), "a Job's restartPolicy: Never or OnFailure")
    containers = pod.get("containers", [])
    need(len(containers) == 1, "one container")
    volumes = {v.get("name") for v in pod.get("volumes", [])}
    for c in containers:
        need(bool(c.get("image")), "container image is required")
        for m in c.get("volumeMounts", []):
            need(m.get("name") in volumes, f"volumeMount {m.get('name')} names no volume")
    return completions, containers[0] if containers else {}


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    mrv = os.path.realpath(sys.argv[1])
    with open(RECIPE, encoding="utf-8") as f:
        job = yaml.safe_load(f)
    problems = []
    n, container = check_fields(job, problems)
    script = "\n".join(container.get("args", []))
    shards = set(re.findall(r'--shard "\$k/(\d+)"', script))
    if shards != {str(n)}:
        problems.append(f"the script's --shard denominator {sorted(shards)} is not completions ({n})")
    if problems:
        for p in problems:
            print(f"k8s: {RECIPE}: {p}")
        return 1

    with tempfile.TemporaryDirectory() as work:
        bin_dir, results = os.path.join(work, "bin"), os.path.join(work, "results")
        os.makedirs(bin_dir)
        os.makedirs(results)
        os.symlink(mrv, os.path.join(bin_dir, "mrv"))
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                   MRV_METHODOLOGIES=os.path.join(ROOT, "methodologies"))
        pod_script = script.replace("/results/", results + "/")
        for index in range(n):
            pod = subprocess.run(container["command"] + [pod_script], cwd=INPUTS,
                                 env=dict(env, JOB_COMPLETION_INDEX=str(index)),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if pod.returncode != 0:
                print(f"k8s: pod {index} failed with {pod.returncode}: {pod.stderr}")
                return 1
        merged = []
        for k in range(1, n + 1):
            with open(os.path.join(results, f"shard-{k}.jsonl"), encoding="utf-8") as f:
                merged += f.read().splitlines(keepends=True)
        one = subprocess.run([mrv, "verify", "manifest.yaml", "-q"], cwd=INPUTS, env=env,
                             stdout=subprocess.PIPE, text=True)
        if one.returncode not in (0, 1):
            print(f"k8s: one run failed with {one.returncode}")
            return 1
        if sorted(merged) != sorted(one.stdout.splitlines(keepends=True)):
            print("k8s: the union of the pods' shards differs from one mrv verify run")
            return 1
    print(f"k8s: the Indexed Job's fields hold; its {n} pods' shards ({len(merged)} lines) "
          "equal one mrv verify run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
