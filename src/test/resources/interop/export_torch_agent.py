#!/usr/bin/env python3
"""Builds cohort agent networks in PyTorch, exports them with torch.onnx.export and writes cohort's model
contract into the ONNX metadata (metadata_props), as any trainer outside cohort would.

Writes, into --out-dir:
  core.onnx      Linear(obs, H) -> ReLU -> GRUCell(H) -> Linear(levels)   (recurrent: h_in -> h_out)
  quota.onnx     Linear(obs, H) -> ReLU -> Linear(H, H) -> ReLU -> Linear(levels)
  reference.json the observations of a few ticks and PyTorch's outputs and argmax levels for each,
                 the recurrent state carried from tick to tick as the agent must carry it.

Feature names and levels come from the command line (cohort's ObservationSpec), so the contract matches
the build under test. Keys: dev.cohort.policy.ModelMetadata.
"""
import argparse
import json
import platform

import onnx
import torch


class Agent(torch.nn.Module):
    def __init__(self, n_in, hidden, n_out, recurrent):
        super().__init__()
        self.recurrent = recurrent
        self.fc1 = torch.nn.Linear(n_in, hidden)
        if recurrent:
            self.rnn = torch.nn.GRUCell(hidden, hidden)
        else:
            self.fc2 = torch.nn.Linear(hidden, hidden)
        self.fc_out = torch.nn.Linear(hidden, n_out)

    def forward(self, obs, h_in=None):
        x = torch.relu(self.fc1(obs))
        if self.recurrent:
            h = self.rnn(x, h_in)
            return self.fc_out(h), h
        return self.fc_out(torch.relu(self.fc2(x)))


def contract(role, features, levels, hidden, recurrent, seed):
    props = {
        "cohort.format": "1",
        "cohort.role": role,
        "cohort.features": ",".join(features),
        "cohort.action.levels": str(levels),
        "cohort.action.meaning": f"{levels} levels (PyTorch interop test)",
        "cohort.action.decoding": "argmax",
        "cohort.recurrent": "true" if recurrent else "false",
        "cohort.input": "obs",
        "cohort.output": "q",
        "cohort.algorithm": "iql",
        "cohort.provenance.scenarios": "interop",
        "cohort.provenance.seed": str(seed),
        "cohort.provenance.producer": f"torch.onnx.export (torch {torch.__version__}, onnx {onnx.__version__})",
        "cohort.provenance.os": platform.system(),
        "cohort.provenance.arch": platform.machine(),
    }
    if recurrent:
        props.update({"cohort.hidden_size": str(hidden), "cohort.state_in": "h_in", "cohort.state_out": "h_out"})
    return props


def export(agent, path, n_in, hidden, props):
    agent.eval()
    obs = torch.zeros(2, n_in)
    axes = {"obs": {0: "agents"}, "q": {0: "agents"}}
    if agent.recurrent:
        axes.update({"h_in": {0: "agents"}, "h_out": {0: "agents"}})
        torch.onnx.export(agent, (obs, torch.zeros(2, hidden)), path, input_names=["obs", "h_in"],
                          output_names=["q", "h_out"], dynamic_axes=axes, opset_version=13)
    else:
        torch.onnx.export(agent, (obs,), path, input_names=["obs"], output_names=["q"],
                          dynamic_axes=axes, opset_version=13)
    model = onnx.load(path)
    onnx.helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out-dir", required=True)
    p.add_argument("--core-features", required=True)
    p.add_argument("--quota-features", required=True)
    p.add_argument("--core-levels", type=int, required=True)
    p.add_argument("--quota-levels", type=int, required=True)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--agents", type=int, default=5)
    p.add_argument("--ticks", type=int, default=4)
    p.add_argument("--seed", type=int, default=11)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    roles = {
        "core": (a.core_features.split(","), a.core_levels, True),
        "quota": (a.quota_features.split(","), a.quota_levels, False),
    }
    reference = {"agents": a.agents, "ticks": []}
    agents = {}
    for role, (features, levels, recurrent) in roles.items():
        agent = Agent(len(features), a.hidden, levels, recurrent)
        export(agent, f"{a.out_dir}/{role}.onnx", len(features), a.hidden,
               contract(role, features, levels, a.hidden, recurrent, a.seed))
        agents[role] = agent
    h = torch.zeros(a.agents, a.hidden)
    with torch.no_grad():
        for _ in range(a.ticks):
            tick = {}
            for role, (features, _, recurrent) in roles.items():
                obs = torch.rand(a.agents, len(features)) * 2 - 1
                if recurrent:
                    q, h = agents[role](obs, h)
                else:
                    q = agents[role](obs)
                tick[role] = {"obs": obs.flatten().tolist(), "q": q.flatten().tolist(),
                              "levels": q.argmax(dim=1).tolist()}
            reference["ticks"].append(tick)
    with open(f"{a.out_dir}/reference.json", "w") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    main()
